package dev.drover.cli;

import dev.drover.journal.RunRecord;
import dev.drover.journal.RunsDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runs}: the runs recorded in the journal directory, and {@code drover runs show <id>}. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Lists the runs recorded under .drover/runs (or $DROVER_RUNS_DIR) with their status:",
                "ok, failed, recovered, manual (a person must look), interrupted, or crashed (no end record)."},
        subcommands = RunsCommand.Show.class,
        footer = {"", "Examples:", "  drover runs", "  drover runs show 20261123-044600-1a2b", "  drover recover 20261123-044600-1a2b"})
public final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<RunRecord> runs = RunRecord.list(RunsDir.root());
        out.println(String.format("%-22s %-26s %-12s %-30s %s", "ID", "START", "STATUS", "PLAYBOOK", "FAILED HOSTS"));
        for (RunRecord r : runs) {
            List<String> pbs = r.playbooks();
            String pb = pbs.isEmpty() ? "?" : Path.of(pbs.get(0)).getFileName().toString() + (pbs.size() > 1 ? " +" + (pbs.size() - 1) : "");
            out.println(String.format("%-22s %-26s %-12s %-30s %s", r.id(), r.startedAt(), r.status(), pb,
                    String.join(",", r.failedHosts())));
        }
        out.flush();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One run: header, failures, markers, outcome.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN-ID")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RunRecord r = RunRecord.read(RunsDir.root(), id);
            Map<String, Object> h = r.header();
            out.println("run:         " + r.id());
            out.println("status:      " + r.status());
            if (h != null) {
                out.println("started:     " + h.get("at"));
                out.println("playbooks:   " + h.get("playbooks"));
                out.println("inventories: " + h.get("inventories"));
                out.println("extra vars:  " + h.get("extra_vars"));
                out.println("limit:       " + h.get("limit") + "   tags: " + h.get("tags") + "   check: " + h.get("check"));
                out.println("cwd:         " + h.get("cwd"));
                if (h.get("recovers") != null) out.println("recovers:    " + h.get("recovers"));
            }
            out.println("tasks:       " + r.all("task_started").size() + " started, " + r.all("result").size() + " results");
            for (Map<String, Object> e : r.errors()) {
                out.println("error:       [" + e.get("host") + "] " + e.get("task") + " (" + e.get("position") + "): "
                        + e.get("outcome") + ": " + e.get("msg"));
            }
            r.markers().forEach((name, hosts) -> out.println("marker:      " + name + " " + hosts));
            Map<String, Object> end = r.end();
            out.println("end:         " + (end == null ? "none: the controller died; drover recover " + r.id()
                    + " runs the recovery section" : "exit code " + end.get("exit_code")));
            out.flush();
            return 0;
        }
    }
}
