package dev.drover.report;

import dev.drover.error.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the run report (docs/report-schema.md) from the event stream: run, plays, tasks with file:line, each host's
 * result, the failure aggregate, coded outcomes, per-host counters and every failed host's first error. Event types
 * it does not know (added later) are kept in {@code other_events}, serialised generically, so nothing is lost.
 */
public final class RunRecorder implements EventSink {
    public static final String SCHEMA = "drover-report/1";
    /** stdout, stderr and msg are cut here: a report must stay readable when a task dumps a whole log. */
    public static final int MAX_TEXT = 8192;

    private final Redactor redactor;
    private final Supplier<Instant> clock;
    private final FirstErrors firstErrors = new FirstErrors();

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Map<String, Object>> plays = new ArrayList<>();
    private final List<Object> aggregate = new ArrayList<>();
    private final List<Map<String, Object>> outcomes = new ArrayList<>();
    private final List<Object> warnings = new ArrayList<>();
    private final List<Map<String, Object>> other = new ArrayList<>();
    private final List<Map<String, Object>> stats = new ArrayList<>();
    private final List<Map<String, Object>> failedHosts = new ArrayList<>();
    /** Loop items arrive before their loop's combined result; keyed by host and task. */
    private final Map<List<String>, List<Map<String, Object>>> pendingItems = new HashMap<>();
    private Map<String, Object> play;
    private Instant playStart;
    private Instant start;
    private boolean finished;

    public RunRecorder(Redactor redactor, Supplier<Instant> clock) {
        this.redactor = redactor;
        this.clock = clock;
    }

    @Override
    public synchronized void on(Event event) {
        firstErrors.on(event);
        if (event instanceof Event.RunStarted e) {
            start = clock.get();
            run.put("id", e.runId());
            run.put("playbooks", e.playbooks());
            run.put("check_mode", e.checkMode());
            run.put("start", start.toString());
        } else if (event instanceof Event.PlayStarted e) {
            endPlay();
            playStart = clock.get();
            play = new LinkedHashMap<>();
            play.put("name", e.name());
            play.put("pattern", e.pattern());
            play.put("hosts", e.hosts());
            play.put("start", playStart.toString());
            play.put("duration_ms", 0L);
            play.put("stopped", null);
            play.put("tasks", new ArrayList<Map<String, Object>>());
            plays.add(play);
        } else if (event instanceof Event.TaskStarted e) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("name", FirstErrors.displayName(e));
            task.put("role", e.role());
            task.put("kind", e.kind());
            task.put("position", e.position() == null ? null : e.position().toString());
            task.put("results", new ArrayList<Map<String, Object>>());
            tasks().add(task);
        } else if (event instanceof Event.HostResult r) {
            hostResult(r);
        } else if (event instanceof Event.ErrorRecorded e) {
            Map<String, Object> entry = new LinkedHashMap<>(e.error());
            entry.put("recovery", e.recovery());
            // the executor censors no_log entries itself; this keeps a report safe from any event source that doesn't
            if (firstErrors.censored(String.valueOf(entry.get("host")))) entry.put("msg", Redactor.MASK + " (no_log)");
            aggregate.add(EventJson.value(entry));
        } else if (event instanceof Event.Warning w) {
            warnings.add(w.message());
        } else if (event instanceof Event.PlayStopped s) {
            if (play != null) play.put("stopped", s.reason());
        } else if (event instanceof Event.RunFinished f) {
            finish(f);
        } else if (!(event instanceof Event.StillRunning || event instanceof Event.Retrying
                || event instanceof Event.NoHostsMatched || event instanceof Event.HostVarsSet
                || event instanceof Event.Planned || event instanceof Event.OutcomeReached)) {
            // kept by type name (recovery sections, markers, the run's outcome, ...); not the journal's plan and
            // variables, nor coded outcomes, which repeat what the plays, results and outcomes already say
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", EventJson.type(event));
            m.put("time", clock.get().toString());
            m.putAll(EventJson.fields(event));
            other.add(m);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> tasks() {
        if (play == null) { // events outside any play (a later event type): kept under a nameless play
            on(new Event.PlayStarted("", "", List.of()));
        }
        return (List<Map<String, Object>>) play.get("tasks");
    }

    @SuppressWarnings("unchecked")
    private void hostResult(Event.HostResult r) {
        boolean summary = Boolean.TRUE.equals(r.result().get(ConsoleSink.LOOP_SUMMARY));
        List<String> key = List.of(r.host(), r.task());
        Map<String, Object> entry = result(r);
        if (r.itemLabel() != null && !summary) {
            entry.remove("host");
            entry.put("label", r.itemLabel());
            pendingItems.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
            return;
        }
        if (summary) entry.put("items", pendingItems.getOrDefault(key, List.of()));
        pendingItems.remove(key);
        Map<String, Object> task = null;
        List<Map<String, Object>> tasks = tasks();
        for (int i = tasks.size() - 1; i >= 0 && task == null; i--) {
            if (r.task().equals(tasks.get(i).get("name"))) task = tasks.get(i);
        }
        if (task == null) { // a result without its TaskStarted: still reported, without a position
            task = new LinkedHashMap<>();
            task.put("name", r.task());
            task.put("role", null);
            task.put("kind", "task");
            task.put("position", null);
            task.put("results", new ArrayList<Map<String, Object>>());
            tasks.add(task);
        }
        ((List<Map<String, Object>>) task.get("results")).add(entry);
        Map<String, Object> outcome = FirstErrors.outcome(r.result());
        if (outcome != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("host", r.host());
            o.put("task", r.task());
            o.put("position", task.get("position"));
            o.put("rc", outcome.get("rc"));
            o.put("status", outcome.get("status") == null ? null : String.valueOf(outcome.get("status")));
            o.put("message", outcome.get("message") == null ? null : String.valueOf(outcome.get("message")));
            outcomes.add(o);
        }
    }

    private static Map<String, Object> result(Event.HostResult r) {
        Map<String, Object> res = r.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("status", EventJson.value(r.status()));
        m.put("changed", Boolean.TRUE.equals(res.get("changed")) || "true".equals(String.valueOf(res.get("changed"))));
        m.put("ignored", r.ignored());
        m.put("rc", res.get("rc") instanceof Number n ? n.longValue() : null);
        Object msg = res.get("msg") != null ? res.get("msg") : res.get("skip_reason");
        m.put("msg", msg == null ? null : bounded(msg instanceof String s ? s : PyJson.dumps(EventJson.value(msg), false)));
        m.put("stdout", res.get("stdout") == null ? null : bounded(String.valueOf(res.get("stdout"))));
        m.put("stderr", res.get("stderr") == null ? null : bounded(String.valueOf(res.get("stderr"))));
        m.put("duration_ms", r.millis());
        m.put("delegated_to", r.delegatedTo());
        m.put("censored", res.containsKey("censored"));
        m.put("outcome", EventJson.value(FirstErrors.outcome(res)));
        return m;
    }

    /** Cut at {@link #MAX_TEXT} characters, saying how much was left out. */
    static String bounded(String s) {
        if (s.length() <= MAX_TEXT) return s;
        return s.substring(0, MAX_TEXT) + "\n[... " + (s.length() - MAX_TEXT) + " more characters cut by drover]";
    }

    /** A play ends where the next one starts, or with the run. */
    private void endPlay() {
        if (play != null) play.put("duration_ms", Math.max(0, Duration.between(playStart, clock.get()).toMillis()));
    }

    private void finish(Event.RunFinished f) {
        endPlay();
        finished = true;
        Instant end = clock.get();
        if (start == null) { // the run ended before it started (a bad inventory): the report still says how
            run.put("id", null);
            run.put("playbooks", List.of());
            run.put("check_mode", false);
            run.put("start", end.toString());
        }
        run.put("end", end.toString());
        run.put("duration_ms", f.millis());
        run.put("exit_code", f.exitCode());
        run.put("exit_name", exitName(f.exitCode()));
        f.stats().forEach((host, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", host);
            m.putAll(EventJson.record(s));
            stats.add(m);
        });
        firstErrors.of(f.stats()).values().forEach(e -> failedHosts.add(EventJson.record(e)));
    }

    static String exitName(int code) {
        for (ExitCode c : ExitCode.values()) if (c.code() == code) return c.name();
        return "UNKNOWN";
    }

    /** The whole report, secrets masked; complete once {@link Event.RunFinished} was seen. */
    public synchronized Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema", SCHEMA);
        Map<String, Object> r = new LinkedHashMap<>(run);
        r.putIfAbsent("end", null);
        r.put("finished", finished);
        out.put("run", r);
        out.put("plays", plays);
        out.put("aggregate", aggregate);
        out.put("outcomes", outcomes);
        out.put("stats", stats);
        out.put("failed_hosts", failedHosts);
        out.put("warnings", warnings);
        out.put("other_events", other);
        @SuppressWarnings("unchecked")
        Map<String, Object> redacted = (Map<String, Object>) redactor.redact(out);
        return redacted;
    }
}
