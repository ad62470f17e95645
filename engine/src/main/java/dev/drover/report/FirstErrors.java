package dev.drover.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The first error of every host that ended the run failed or unreachable, for the console's summary and the
 * reports. A failure that entered the run-wide aggregate ({@link Event.ErrorRecorded}: not rescued, not ignored) is
 * what names a host's error; a failed result is kept until then as a fallback, for failures that stop a host
 * without entering the aggregate (fact gathering, an include that cannot be read). Not thread-safe: the owning
 * sink serialises events.
 */
public final class FirstErrors {
    /** One host's first error; {@code outcome}/{@code outcomeMessage} are set when the task had coded outcomes. */
    public record FirstError(String host, String status, String task, String position, String message, Object rc,
                             String outcome, String outcomeMessage, boolean recovery) {
        /** The summary line's text after the host name. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            if ("unreachable".equals(status)) b.append("UNREACHABLE in ");
            b.append(recovery ? "recovery task '" : "task '").append(task).append("'");
            if (position != null && !position.isEmpty()) b.append(" at ").append(position);
            if (outcome != null) b.append(" [outcome ").append(outcome).append("]");
            String msg = outcome != null && outcomeMessage != null ? outcomeMessage : message;
            b.append(": ").append(msg == null || msg.isEmpty() ? "(no message)" : msg);
            if (rc != null && outcome == null) b.append(" (rc=").append(rc).append(")");
            return b.toString();
        }
    }

    private final Map<String, String> positions = new HashMap<>();
    private final Map<String, FirstError> fallback = new LinkedHashMap<>();
    private final Map<String, FirstError> recorded = new LinkedHashMap<>();
    /** Hosts whose latest failed result was censored by no_log: their aggregate entry's message is hidden too. */
    private final Set<String> censored = new java.util.HashSet<>();

    public void on(Event event) {
        if (event instanceof Event.PlayStarted) {
            positions.clear();
        } else if (event instanceof Event.TaskStarted t) {
            positions.put(displayName(t), t.position() == null ? null : t.position().toString());
        } else if (event instanceof Event.HostResult r) {
            hostResult(r);
        } else if (event instanceof Event.ErrorRecorded e) {
            errorRecorded(e.error(), e.recovery());
        }
    }

    private void hostResult(Event.HostResult r) {
        if (r.ignored() || (r.status() != Event.Status.FAILED && r.status() != Event.Status.UNREACHABLE)) return;
        boolean summary = Boolean.TRUE.equals(r.result().get(ConsoleSink.LOOP_SUMMARY));
        if (r.result().containsKey("censored")) censored.add(r.host());
        else if (!summary) censored.remove(r.host());
        // a loop's combined result says only "One or more items failed": its first failed item says why
        if (summary && fallback.containsKey(r.host())) return;
        Map<String, Object> outcome = outcome(r.result());
        fallback.putIfAbsent(r.host(), new FirstError(r.host(), r.status().name().toLowerCase(java.util.Locale.ROOT),
                r.task(), positions.get(r.task()), text(r.result().get("msg")), r.result().get("rc"),
                outcome == null ? null : text(outcome.get("status")), outcome == null ? null : text(outcome.get("message")),
                false));
    }

    private void errorRecorded(Map<String, Object> e, boolean recovery) {
        String host = String.valueOf(e.get("host"));
        if (recorded.containsKey(host)) return;
        FirstError seen = fallback.get(host);
        String outcome = null;
        String outcomeMessage = null;
        if (e.get("outcome") instanceof Map<?, ?> m) {
            outcome = text(m.get("status"));
            outcomeMessage = text(m.get("message"));
        } else if (e.get("outcome") != null && !Set.of("failed", "unreachable").contains(String.valueOf(e.get("outcome")))) {
            outcome = String.valueOf(e.get("outcome"));
        }
        if (outcome == null && seen != null) {
            outcome = seen.outcome();
            outcomeMessage = seen.outcomeMessage();
        } else if (outcome != null && outcomeMessage == null) {
            // the aggregate names the coded status; its message is the result's outcome, or the entry's own
            outcomeMessage = seen != null && seen.outcomeMessage() != null ? seen.outcomeMessage()
                    : text(e.get("message") != null ? e.get("message") : e.get("msg"));
        }
        String role = e.get("role") == null ? null : String.valueOf(e.get("role"));
        String task = role == null ? text(e.get("task")) : role + " : " + e.get("task");
        String status = "unreachable".equals(String.valueOf(e.get("outcome"))) ? "unreachable" : "failed";
        String message = censored.contains(host) ? Redactor.MASK + " (no_log)" : text(e.get("msg"));
        recorded.put(host, new FirstError(host, status, task, text(e.get("position")), message, e.get("rc"), outcome,
                censored.contains(host) && outcomeMessage != null ? Redactor.MASK + " (no_log)" : outcomeMessage,
                recovery));
    }

    /** Whether the host's latest failed result was censored by no_log (its aggregate entry must be too). */
    boolean censored(String host) {
        return censored.contains(host);
    }

    /**
     * Every host that ended failed or unreachable by the recap counters, or that has a failure in the aggregate,
     * in the order they first failed.
     */
    public Map<String, FirstError> of(Map<String, HostStats> stats) {
        Map<String, FirstError> out = new LinkedHashMap<>(recorded);
        fallback.forEach((host, err) -> {
            HostStats s = stats.get(host);
            if (!out.containsKey(host) && s != null && (s.failed() > 0 || s.unreachable() > 0)) out.put(host, err);
        });
        stats.forEach((host, s) -> {
            if (!out.containsKey(host) && (s.failed() > 0 || s.unreachable() > 0)) {
                out.put(host, new FirstError(host, s.unreachable() > 0 ? "unreachable" : "failed", "?", null,
                        "no failed result was reported for this host", null, null, null, false));
            }
        });
        return out;
    }

    /** The {@code outcome} map of a coded-outcome task's result, when there is one. */
    static Map<String, Object> outcome(Map<String, Object> result) {
        if (!(result.get("outcome") instanceof Map<?, ?> m)) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** The name a HostResult carries for the task a TaskStarted announced ({@code Task.displayName}). */
    static String displayName(Event.TaskStarted t) {
        return t.role() == null || t.role().isEmpty() ? t.name() : t.role() + " : " + t.name();
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
