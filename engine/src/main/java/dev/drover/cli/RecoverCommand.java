package dev.drover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import dev.drover.exec.RecoverySeed;
import dev.drover.journal.Redactor;
import dev.drover.journal.RunRecord;
import dev.drover.journal.RunsDir;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover recover <run-id>}: runs the recovery section of a journaled run with the recorded playbooks,
 * inventories, options, aggregate, markers and host variables. A run that died or was interrupted mid-task has
 * that task's unfinished hosts added to the aggregate (outcome "interrupted"), so recovery knows where it stopped.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Runs the recovery section of a recorded run (after the controller died or was interrupted),",
                "with the run's playbooks, inventories, options, error aggregate, markers and registered variables."},
        footer = {"", "Examples:", "  drover runs", "  drover recover 20261123-044600-1a2b"})
public final class RecoverCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN-ID", description = "a run id from 'drover runs'")
    String id;

    @picocli.CommandLine.Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "extra variables after the recorded ones (later wins): secrets the journal redacted, "
                    + "or handle_update_errors=true for a run that had recovery off")
    List<String> extraVars = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunRecord run = RunRecord.read(RunsDir.root(), id);
        Map<String, Object> h = run.header();
        if (h == null) throw new UserError(null, "run '" + id + "' has no header record: its journal is empty");
        if ("ok".equals(run.status())) {
            throw new UserError(null, "run '" + id + "' finished without a failure: there is nothing to recover",
                    ExitCode.BAD_OPTIONS, null);
        }
        List<String> args = new ArrayList<>();
        for (Object inv : list(h.get("inventories"))) args.addAll(List.of("-i", String.valueOf(inv)));
        Map<String, Object> extra = new LinkedHashMap<>();
        if (h.get("extra_vars") instanceof Map<?, ?> ev) {
            // redacted values are not passed: the inventory or vault must provide secrets again
            ev.forEach((k, v) -> {
                if (!Redactor.HIDDEN.equals(v)) extra.put(String.valueOf(k), v);
            });
        }
        if (!extra.isEmpty()) args.addAll(List.of("-e", JSON.writeValueAsString(extra)));
        for (String e : extraVars) args.addAll(List.of("-e", e));
        if (!list(h.get("tags")).isEmpty()) args.addAll(List.of("-t", join(h.get("tags"))));
        if (!list(h.get("skip_tags")).isEmpty()) args.addAll(List.of("--skip-tags", join(h.get("skip_tags"))));
        if (h.get("limit") != null) args.addAll(List.of("-l", String.valueOf(h.get("limit"))));
        if (Boolean.TRUE.equals(h.get("check"))) args.add("-C");
        if (h.get("forks") != null) args.addAll(List.of("-f", String.valueOf(h.get("forks"))));
        for (Object pb : list(h.get("playbooks"))) args.add(String.valueOf(pb));

        PlayCommand play = new PlayCommand();
        play.recoverySeed = new RecoverySeed(id, aggregate(run), run.markers(), hostVars(run));
        CommandLine cl = new CommandLine(play);
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        cl.setExecutionExceptionHandler(Main::handleError);
        return cl.execute(args.toArray(String[]::new));
    }

    /**
     * The recorded aggregate, plus, when the run died or was interrupted during a task, one entry per host of
     * that task without a result: recovery must not take them for hosts that finished.
     */
    static List<Map<String, Object>> aggregate(RunRecord run) {
        List<Map<String, Object>> errors = new ArrayList<>(run.errors());
        if (run.end() != null && !"interrupted".equals(run.status())) return errors;
        List<String> playHosts = List.of();
        Map<String, Object> task = null;
        Set<String> done = new LinkedHashSet<>();
        for (Map<String, Object> r : run.records()) {
            switch (String.valueOf(r.get("type"))) {
                case "play_started" -> {
                    playHosts = list(r.get("hosts")).stream().map(String::valueOf).toList();
                    task = null;
                    done.clear();
                }
                case "task_started" -> {
                    task = r;
                    done.clear();
                }
                case "result" -> done.add(String.valueOf(r.get("host")));
                default -> {
                    // other records do not change where the run stopped
                }
            }
        }
        String why = run.end() == null ? "the controller died during this task" : "the run was interrupted during this task";
        List<String> unfinished = new ArrayList<>();
        for (String host : playHosts) if (task != null && !done.contains(host)) unfinished.add(host);
        if (unfinished.isEmpty() && errors.isEmpty()) unfinished.addAll(playHosts);
        for (String host : unfinished) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("host", host);
            e.put("play", null);
            e.put("role", task == null ? null : task.get("role"));
            e.put("task", task == null ? null : task.get("name"));
            e.put("position", task == null ? null : task.get("position"));
            e.put("msg", why);
            e.put("message", why);
            e.put("rc", null);
            e.put("outcome", "interrupted");
            errors.add(e);
        }
        return errors;
    }

    /** Recorded host variables, without the redacted ones (a recovery play must not see "********" as a value). */
    private static Map<String, Map<String, Object>> hostVars(RunRecord run) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        run.hostVars().forEach((host, vars) -> {
            Map<String, Object> kept = new LinkedHashMap<>();
            vars.forEach((k, v) -> {
                if (!Redactor.HIDDEN.equals(v)) kept.put(k, v);
            });
            out.put(host, kept);
        });
        return out;
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String join(Object o) {
        List<String> parts = new ArrayList<>();
        for (Object x : list(o)) parts.add(String.valueOf(x));
        return String.join(",", parts);
    }
}
