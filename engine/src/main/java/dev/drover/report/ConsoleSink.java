package dev.drover.report;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console an Ansible user reads without thinking: PLAY/TASK banners, one line per host result, PLAY RECAP.
 * Colour only on a terminal. After the recap, every failed or unreachable host is listed with its first error (task,
 * file:line, message, coded outcome), never only a count.
 */
public final class ConsoleSink implements EventSink {
    private static final int WIDTH = 79;
    private static final String GREEN = "\u001b[0;32m";
    private static final String YELLOW = "\u001b[0;33m";
    private static final String RED = "\u001b[0;31m";
    private static final String BRIGHT_RED = "\u001b[1;31m";
    private static final String CYAN = "\u001b[0;36m";
    private static final String PURPLE = "\u001b[1;35m";
    private static final String RESET = "\u001b[0m";

    /** Set on a loop's combined result; only its items are printed. */
    public static final String LOOP_SUMMARY = "_drover_loop_summary";

    private final PrintWriter out;
    private final boolean colour;
    private final int verbosity;
    private final FirstErrors firstErrors = new FirstErrors();
    private Event.RunOutcome outcome;
    private String runId;

    public ConsoleSink(PrintWriter out, boolean colour, int verbosity) {
        this.out = out;
        this.colour = colour;
        this.verbosity = verbosity;
    }

    @Override
    public synchronized void on(Event event) {
        firstErrors.on(event);
        if (event instanceof Event.RunStarted e) {
            runId = e.runId();
            if (e.checkMode()) line(PURPLE, "CHECK MODE: no changes will be made on any host");
        } else if (event instanceof Event.PlayStarted e) {
            banner("PLAY [" + e.name() + "]");
        } else if (event instanceof Event.NoHostsMatched) {
            line(CYAN, "skipping: no hosts matched");
        } else if (event instanceof Event.TaskStarted e) {
            banner(taskBanner(e));
        } else if (event instanceof Event.HostResult r) {
            hostResult(r);
        } else if (event instanceof Event.Warning w) {
            line(PURPLE, "[WARNING]: " + w.message());
        } else if (event instanceof Event.StillRunning r) {
            line(CYAN, "... still running after " + r.seconds() + "s: [" + String.join(", ", r.hosts()) + "] " + r.task());
        } else if (event instanceof Event.Retrying r) {
            line(PURPLE, "FAILED - RETRYING: [" + r.host() + "]: " + r.task() + " (" + r.retriesLeft() + " retries left).");
        } else if (event instanceof Event.PlayStopped s) {
            line(BRIGHT_RED, "NO MORE HOSTS LEFT: " + s.reason());
        } else if (event instanceof Event.OutcomeReached o) {
            boolean ok = "ok".equals(o.status());
            line(ok ? GREEN : RED, (ok ? "INFO__" : "FAIL__") + o.message() + (ok ? "__INFO" : "__FAIL"));
        } else if (event instanceof Event.MarkerPassed m) {
            line(CYAN, "MARKER [" + m.name() + "]: [" + m.host() + "]" + (m.message() == null ? "" : " " + m.message()));
        } else if (event instanceof Event.ClusterStopped c) {
            line(BRIGHT_RED, "CLUSTER STOPPED: the first failure stops every host: " + describe(c.firstError()));
        } else if (event instanceof Event.RecoveryStarted r) {
            if (r.run()) banner("RECOVERY [" + r.errors() + " error(s): " + r.reason() + "]");
            else line(BRIGHT_RED, "RECOVERY SKIPPED: " + r.reason());
        } else if (event instanceof Event.RunOutcome o) {
            outcome = o;
        } else if (event instanceof Event.RunFinished f) {
            recap(f);
        }
        out.flush();
    }

    private static String taskBanner(Event.TaskStarted e) {
        String prefix = switch (e.kind()) {
            case "handler" -> "RUNNING HANDLER";
            default -> "TASK";
        };
        String name = e.role() == null || e.role().isEmpty() ? e.name() : e.role() + " : " + e.name();
        return prefix + " [" + name + "]";
    }

    private void hostResult(Event.HostResult r) {
        // a loop's summary is not printed (its items were), unless the host became unreachable: then no item may
        // have been, and the reason must show
        if (Boolean.TRUE.equals(r.result().get(LOOP_SUMMARY)) && r.status() != Event.Status.UNREACHABLE) return;
        String host = r.delegatedTo() == null ? r.host() : r.host() + " -> " + r.delegatedTo();
        String item = r.itemLabel() == null ? "" : " (item=" + r.itemLabel() + ")";
        Map<String, Object> shown = visible(r.result(), r.action());
        boolean verboseAlways = Boolean.TRUE.equals(r.result().get("_ansible_verbose_always"));
        if (r.status() == Event.Status.CHANGED && r.result().get("diff") != null) {
            // --diff: modules only return a diff in diff mode; Ansible prints it (uncoloured here) before the line.
            String diff = DiffText.render(r.result().get("diff"));
            if (!diff.isEmpty()) out.print(diff);
        }
        shown.remove("diff"); // printed above, as Ansible does; not repeated in the JSON
        switch (r.status()) {
            case OK, CHANGED -> {
                String word = r.status() == Event.Status.OK ? "ok" : "changed";
                String msg = word + ": [" + host + "]" + (item.isEmpty() ? "" : " =>" + item);
                if (verboseAlways || verbosity > 0) {
                    msg += " => " + PyJson.dumps(shown, verboseAlways || verbosity > 2);
                }
                line(r.status() == Event.Status.OK ? GREEN : YELLOW, msg);
            }
            case SKIPPED -> line(CYAN, "skipping: [" + host + "]" + (item.isEmpty() ? "" : " =>" + item)
                    + (verbosity > 0 ? " => " + PyJson.dumps(shown, false) : ""));
            case FAILED -> {
                String head = item.isEmpty() ? "fatal: [" + host + "]: FAILED! => " : "failed: [" + host + "]" + item + " => ";
                shown.remove("failed"); // implied by the line, as Ansible shows it
                line(RED, head + PyJson.dumps(shown, verbosity > 2));
                if (r.ignored()) line(CYAN, "...ignoring");
            }
            case UNREACHABLE -> {
                line(BRIGHT_RED, "fatal: [" + host + "]: UNREACHABLE! => " + PyJson.dumps(shown, verbosity > 2));
                if (r.ignored()) line(CYAN, "...ignoring");
            }
        }
    }

    private static final java.util.Set<String> DEBUG_ALLOWED = java.util.Set.of("msg", "exception", "warnings", "deprecations");
    private static final java.util.Set<String> HIDDEN_IN_DEBUG = java.util.Set.of("changed", "failed", "skipped", "invocation", "skip_reason");

    /**
     * Internal keys are not shown, and debug shows only what it was asked to (Ansible's _clean_results):
     * its msg alone, or its variable without the status flags.
     */
    private static Map<String, Object> visible(Map<String, Object> result, String action) {
        boolean debug = "debug".equals(action) && !Boolean.TRUE.equals(result.get("failed"))
                && !Boolean.TRUE.equals(result.get("skipped"));
        boolean msgOnly = debug && result.containsKey("msg");
        Map<String, Object> m = new LinkedHashMap<>();
        result.forEach((k, v) -> {
            if (k.startsWith("_ansible") || k.startsWith("_drover") || k.equals("invocation")) return;
            if (msgOnly && !DEBUG_ALLOWED.contains(k)) return;
            if (debug && HIDDEN_IN_DEBUG.contains(k)) return;
            m.put(k, v);
        });
        return m;
    }

    private void recap(Event.RunFinished f) {
        banner("PLAY RECAP");
        f.stats().forEach((host, s) -> {
            String colourOf = s.failed() > 0 || s.unreachable() > 0 ? RED : s.changed() > 0 ? YELLOW : GREEN;
            String text = String.format("%-26s : %s %s %s %s %s %s %s", host, count("ok", s.ok()),
                    count("changed", s.changed()), count("unreachable", s.unreachable()), count("failed", s.failed()),
                    count("skipped", s.skipped()), count("rescued", s.rescued()), count("ignored", s.ignored()));
            line(colourOf, text);
        });
        // every host that ended failed or unreachable, each with the error that stopped it: a count alone sends
        // the reader scrolling back through the whole run
        Map<String, FirstErrors.FirstError> failed = firstErrors.of(f.stats());
        if (!failed.isEmpty()) {
            out.println();
            line(RED, "FAILED HOSTS (first error of each):");
            failed.forEach((host, err) -> line(RED, "  " + host + ": " + err.describe()));
        }
        if (outcome != null && (outcome.firstError() != null || outcome.exitCode() == 99)) {
            out.println();
            line(outcome.exitCode() == 6 ? YELLOW : RED, "RUN OUTCOME: " + outcome.exitCode() + " " + outcome.name()
                    + ": " + outcome.meaning());
            if (outcome.firstError() != null) line(RED, "  first failure: " + describe(outcome.firstError()));
            if (outcome.firstRecoveryError() != null) {
                line(RED, "  recovery failed (" + outcome.recoveryErrors() + " error(s)), first: "
                        + describe(outcome.firstRecoveryError()));
            }
            boolean recoverable = outcome.exitCode() == 7 || outcome.exitCode() == 99;
            if (runId != null) line(RED, "  run " + runId + ": drover runs show " + runId + (recoverable
                    ? "; drover recover " + runId + " runs its recovery section" : ""));
        }
        out.println();
    }

    /** An aggregate entry in one line: host, task with its role and position, outcome and message. */
    private static String describe(Map<String, Object> e) {
        String role = e.get("role") == null ? "" : e.get("role") + " : ";
        return "[" + e.get("host") + "] " + role + e.get("task") + " (" + e.get("position") + "): "
                + e.get("outcome") + (e.get("rc") == null ? "" : ", rc=" + e.get("rc")) + ": " + e.get("msg");
    }

    private static String count(String what, int n) {
        return String.format("%s=%-4s", what, n);
    }

    private void banner(String msg) {
        int stars = Math.max(3, WIDTH - msg.length());
        out.println();
        out.println(msg + " " + "*".repeat(stars));
    }

    private void line(String colourCode, String text) {
        out.println(colour ? colourCode + text + RESET : text);
    }
}
