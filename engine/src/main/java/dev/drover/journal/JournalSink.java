package dev.drover.journal;

import dev.drover.report.EventJson;
import dev.drover.report.Redactor;
import dev.drover.playbook.PlayOptions;
import dev.drover.report.Event;
import dev.drover.report.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the run journal, {@code <runs>/<run-id>/journal.jsonl}: one JSON object per line, each with a
 * {@code type}: run (the header: playbooks, inventories, redacted extra vars, tags, limit, check mode, cwd),
 * result, vars and end (exit code); every other event under its record's name in snake case (planned,
 * play_started, task_started, error_recorded, cluster_stopped, recovery_started, outcome_reached, marker_passed, run_outcome...). A journal
 * without an end record means the controller died. Secrets are redacted ({@link Redactor}); results of no_log
 * tasks arrive censored. See docs/recovery.md.
 */
public final class JournalSink implements EventSink {
    public static final int VERSION = 1;

    private final PlayOptions options;
    private final Path root;
    private final String recovers;
    private final Redactor redactor;
    private Journal journal;

    /**
     * @param root the runs directory ({@link RunsDir#root()})
     * @param recovers the run id this run recovers ({@code drover recover}), or null
     * @param redactor the run's secrets (shared with the reports): what the journal must never hold
     */
    public JournalSink(PlayOptions options, Path root, String recovers, Redactor redactor) {
        this.options = options;
        this.root = root;
        this.recovers = recovers;
        this.redactor = redactor;
    }

    /** The journal file, once the run started. */
    public synchronized Path file() {
        return journal == null ? null : journal.file();
    }

    public synchronized long fsyncs() {
        return journal == null ? 0 : journal.fsyncs();
    }

    @Override
    public void on(Event event) {
        Journal j;
        synchronized (this) {
            if (event instanceof Event.RunStarted e) open(e);
            j = journal;
        }
        if (j == null) return;
        Map<String, Object> r = record(event);
        if (r != null) j.append(r);
    }

    private void open(Event.RunStarted e) {
        try {
            journal = new Journal(root.resolve(e.runId()).resolve("journal.jsonl"));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create the run journal under " + root, ex);
        }
    }

    private Map<String, Object> record(Event event) {
        if (event instanceof Event.RunStarted e) {
            Map<String, Object> r = rec("run");
            r.put("version", VERSION);
            r.put("id", e.runId());
            r.put("playbooks", absolute(options.playbooks()));
            List<String> inventories = new ArrayList<>();
            for (String i : options.inventories()) {
                // paths made absolute so that drover recover works from another directory; host lists stay as written
                inventories.add(java.nio.file.Files.exists(Path.of(i)) ? Path.of(i).toAbsolutePath().toString() : i);
            }
            r.put("inventories", inventories);
            r.put("extra_vars", redactor.redact(options.extraVars()));
            r.put("tags", List.copyOf(options.tags()));
            r.put("skip_tags", List.copyOf(options.skipTags()));
            r.put("limit", options.limit());
            r.put("check", options.check());
            r.put("diff", options.diff());
            r.put("forks", options.forks());
            r.put("cwd", Path.of("").toAbsolutePath().toString());
            r.put("recovers", recovers);
            return r;
        }
        if (event instanceof Event.HostResult e) {
            Map<String, Object> r = rec("result");
            r.put("host", e.host());
            r.put("task", e.task());
            r.put("action", e.action());
            r.put("status", e.status().name().toLowerCase(java.util.Locale.ROOT));
            r.put("item", redactor.text(e.itemLabel())); // a loop over secrets labels its items with them
            r.put("ignored", e.ignored());
            r.put("ms", e.millis());
            r.put("result", redactor.redactMap(e.result()));
            return r;
        }
        if (event instanceof Event.HostVarsSet e) {
            Map<String, Object> r = rec("vars");
            r.put("host", e.host());
            Map<String, Object> vars = new LinkedHashMap<>();
            e.vars().forEach((k, v) -> vars.put(k, e.noLog() || Redactor.secretKey(k) ? Redactor.MASK : redactor.redact(v)));
            r.put("vars", vars);
            return r;
        }
        if (event instanceof Event.RunFinished e) {
            Map<String, Object> r = rec("end");
            r.put("exit_code", e.exitCode());
            r.put("ms", e.millis());
            Map<String, Object> stats = new LinkedHashMap<>();
            e.stats().forEach((h, s) -> stats.put(h, Map.of("ok", s.ok(), "changed", s.changed(), "unreachable", s.unreachable(),
                    "failed", s.failed(), "skipped", s.skipped(), "rescued", s.rescued(), "ignored", s.ignored())));
            r.put("stats", stats);
            return r;
        }
        return generic(event);
    }

    /** Any other event: its record components as fields, redacted (see {@link EventJson}). */
    private Map<String, Object> generic(Event event) {
        Map<String, Object> r = rec(EventJson.type(event));
        r.putAll(redactor.redactMap(EventJson.fields(event)));
        return r;
    }

    private static Map<String, Object> rec(String type) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", type);
        r.put("at", Instant.now().toString());
        return r;
    }

    private static List<String> absolute(List<Path> paths) {
        List<String> out = new ArrayList<>();
        for (Path p : paths) out.add(p.toAbsolutePath().toString());
        return out;
    }

    @Override
    public void barrier() {
        Journal j;
        synchronized (this) {
            j = journal;
        }
        if (j != null) j.awaitDurable();
    }

    @Override
    public void close() {
        Journal j;
        synchronized (this) {
            j = journal;
        }
        if (j != null) j.close();
    }
}
