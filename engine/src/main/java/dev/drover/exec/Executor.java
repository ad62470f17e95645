package dev.drover.exec;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import dev.drover.inventory.Host;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryLoader;
import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.Play;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.PlaybookRunner;
import dev.drover.report.Event;
import dev.drover.report.EventSink;
import dev.drover.report.HostStats;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs loaded playbooks: resolves each play's hosts, runs the plays in order with {@link PlayRunner}, and ends
 * with the recap and the documented exit code. Hosts that failed in a play take no part in later plays.
 */
public final class Executor implements PlaybookRunner {
    private final EventSink sink;
    private final PlaybookLoader loader;
    private final ModuleRegistry modules;
    private final Function<PlayOptions, HostAccess> hostAccessFactory;
    private final VarsWork varsWork;

    public Executor(EventSink sink, PlaybookLoader loader, ModuleRegistry modules) {
        this(sink, loader, modules, DefaultHostAccess::new);
    }

    Executor(EventSink sink, PlaybookLoader loader, ModuleRegistry modules, Function<PlayOptions, HostAccess> hostAccessFactory) {
        this(sink, loader, modules, hostAccessFactory, new VarsWork());
    }

    /** With the counter the run's variable work goes to (tests). */
    Executor(EventSink sink, PlaybookLoader loader, ModuleRegistry modules, Function<PlayOptions, HostAccess> hostAccessFactory,
             VarsWork varsWork) {
        this.varsWork = varsWork;
        this.sink = sink;
        this.loader = loader;
        this.modules = modules;
        this.hostAccessFactory = hostAccessFactory;
    }

    /** Actions the executor implements on the controller; the loader must know them besides the host modules. */
    public static java.util.Set<String> controllerActions() {
        return Actions.CONTROLLER;
    }

    @Override
    public int run(PlayOptions options, List<Playbook> playbooks) {
        return run(options, playbooks, null);
    }

    /**
     * {@code drover recover}: runs only the recovery section, with the aggregate, markers and host variables of
     * a journaled run.
     */
    public int recover(PlayOptions options, List<Playbook> playbooks, RecoverySeed seed) {
        return run(options, playbooks, seed);
    }

    private int run(PlayOptions options, List<Playbook> playbooks, RecoverySeed seed) {
        Inventory inventory = new InventoryLoader(Path.of(""), loader.vault()).load(options.inventories());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.forks()), daemonThreads());
        Path firstDir = playbooks.isEmpty() ? Path.of("") : playbooks.get(0).file().toAbsolutePath().getParent();
        Templar templar = new Templar(firstDir, loader.vault());
        String runId = dev.drover.journal.RunsDir.newId();
        List<String> names = new ArrayList<>();
        for (Playbook p : playbooks) names.add(p.file().toString());
        sink.on(new Event.RunStarted(runId, names, options.check()));
        sink.on(new Event.Planned(plan(playbooks)));
        HostAccess access = hostAccessFactory.apply(options);
        Run run = new Run(options, inventory, templar, loader, modules, access, sink, pool, firstDir, varsWork);
        Signals signals = Signals.install(run);
        List<Play> main = new ArrayList<>();
        List<Play> recovery = new ArrayList<>();
        for (Playbook pb : playbooks) {
            for (Play play : pb.plays()) (Recovery.kind(play) == Recovery.Kind.NONE ? main : recovery).add(play);
        }
        run.stopOnFirstError = !recovery.isEmpty() || seed != null;
        boolean recovered = false;
        if (seed != null) {
            seed(run, seed);
            main.clear();
        }
        try {
            PlayRunner.StartAt startAt = new PlayRunner.StartAt(seed == null ? options.startAtTask() : null);
            for (Play play : main) {
                if (!runPlay(run, play, startAt)) break;
            }
            if (startAt.pending()) {
                sink.on(new Event.Warning("No matching task \"" + options.startAtTask() + "\" found."));
            }
            if (!recovery.isEmpty()) recovered = runRecovery(run, recovery);
        } finally {
            access.close();
            pool.shutdownNow();
            run.background.shutdownNow();
            signals.close();
            Thread.interrupted(); // a second signal interrupted this thread: the journal must still be closed
        }
        Map<String, HostStats> stats = new TreeMap<>();
        run.hosts.forEach((h, st) -> {
            if (st.processed()) stats.put(h, st.stats());
        });
        ExitCode exit = run.stopOnFirstError ? recoveryExitCode(run, recovered) : exitCode(run);
        int code = exit.code();
        sink.on(new Event.RunOutcome(code, exit.name(), exit.meaning(), first(run.errors), first(run.recoveryErrors),
                run.errors.size(), run.recoveryErrors.size()));
        sink.on(new Event.RunFinished(stats, code, (System.nanoTime() - start) / 1_000_000));
        sink.close();
        return code;
    }

    /** drover recover: the recorded aggregate, markers and host variables, as the original run left them. */
    private static void seed(Run run, RecoverySeed seed) {
        run.errors.addAll(seed.errors());
        seed.markers().forEach((name, hosts) -> run.markers.put(name, new ArrayList<>(hosts)));
        seed.hostVars().forEach((h, vars) -> run.host(h).hostVars.putAll(vars));
    }

    /** The plays and their tasks as written, for the run journal. */
    private static List<Map<String, Object>> plan(List<Playbook> playbooks) {
        List<Map<String, Object>> plays = new ArrayList<>();
        for (Playbook pb : playbooks) {
            for (Play play : pb.plays()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", play.name());
                p.put("hosts", play.hosts());
                p.put("recovery", Recovery.kind(play).name().toLowerCase(java.util.Locale.ROOT));
                p.put("position", play.pos().toString());
                List<Map<String, Object>> tasks = new ArrayList<>();
                for (List<dev.drover.playbook.TaskItem> section : play.sections()) planTasks(section, tasks);
                p.put("tasks", tasks);
                plays.add(p);
            }
        }
        return plays;
    }

    private static void planTasks(List<dev.drover.playbook.TaskItem> items, List<Map<String, Object>> out) {
        for (dev.drover.playbook.TaskItem i : items) {
            if (i instanceof dev.drover.playbook.Block b) {
                planTasks(b.block(), out);
                planTasks(b.rescue(), out);
                planTasks(b.always(), out);
            } else if (i instanceof dev.drover.playbook.Task t) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.displayName());
                m.put("action", t.action());
                m.put("position", t.pos().toString());
                out.add(m);
            }
        }
    }

    private boolean runPlay(Run run, Play play, PlayRunner.StartAt startAt) {
        Vars playLevel = new LayeredVars.Builder().add(play.vars()).add(run.options.extraVars()).build();
        String pattern = String.valueOf(run.templar.template(play.hosts(), playLevel, play.pos()));
        Inventory inv = run.inventory.get();
        List<Host> selected = inv.select(pattern, play.pos());
        if (run.options.limit() != null) selected = inv.limit(selected, run.options.limit());
        List<String> hosts = new ArrayList<>();
        for (Host h : selected) {
            HostState st = run.hosts.get(h.name());
            if (st == null || (!st.failed && !st.unreachable)) hosts.add(h.name());
        }
        sink.on(new Event.PlayStarted(play.name(), pattern, hosts));
        if (hosts.isEmpty()) {
            sink.on(new Event.NoHostsMatched(pattern));
            return true;
        }
        PlayContext ctx = new PlayContext(run, play, varsFiles(run, play, playLevel), hosts);
        return new PlayRunner(ctx, startAt).run();
    }

    /**
     * After the main section stopped on a failure: the recovery plays in written order, on every host of their
     * pattern, failed and unreachable ones included (their failed state is cleared; unreachable hosts are tried
     * again). Only {@code recovery: always} plays run after a fatal outcome; none run when
     * {@code handle_update_errors} is false. Returns whether recovery plays ran.
     */
    private boolean runRecovery(Run run, List<Play> plays) {
        List<Map<String, Object>> errors;
        synchronized (run.errors) {
            errors = List.copyOf(run.errors);
        }
        if (errors.isEmpty() || run.interrupted) return false;
        sink.on(new Event.ClusterStopped(errors.get(0)));
        boolean fatal = errors.stream().anyMatch(Recovery::fatal);
        List<Play> toRun = new ArrayList<>();
        for (Play p : plays) if (!fatal || Recovery.kind(p) == Recovery.Kind.ALWAYS) toRun.add(p);
        Object handle = run.options.extraVars().get("handle_update_errors");
        if (handle != null && !dev.drover.modules.ArgSpec.toBool(null, handle)) {
            sink.on(new Event.RecoveryStarted(false, "handle_update_errors is false: automatic recovery is off", errors.size()));
            return false;
        }
        if (toRun.isEmpty()) {
            sink.on(new Event.RecoveryStarted(false, "an outcome was fatal: automatic recovery does not run "
                    + "(only plays with 'recovery: always' would)", errors.size()));
            return false;
        }
        sink.on(new Event.RecoveryStarted(true, fatal ? "an outcome was fatal: only 'recovery: always' plays run"
                : "the main section stopped", errors.size()));
        run.inRecovery = true;
        for (HostState st : run.hosts.values()) {
            st.failed = false;
            st.unreachable = false;
            st.ended = false;
            st.endedRole = null;
        }
        PlayRunner.StartAt none = new PlayRunner.StartAt(null);
        for (Play play : toRun) {
            if (!runPlay(run, play, none)) break;
        }
        return true;
    }

    /** The exit code of a run with a recovery section (docs/recovery.md). */
    static ExitCode recoveryExitCode(Run run, boolean recovered) {
        if (run.interrupted) return ExitCode.INTERRUPTED;
        if (run.errors.isEmpty()) return exitCode(run);
        boolean recoveryFailed;
        synchronized (run.recoveryErrors) {
            recoveryFailed = !run.recoveryErrors.isEmpty();
        }
        recoveryFailed |= run.hosts.values().stream().anyMatch(s -> s.failed || s.unreachable);
        synchronized (run.errors) {
            return Recovery.exitCode(List.copyOf(run.errors), recovered, recoveryFailed);
        }
    }

    private static Map<String, Object> first(List<Map<String, Object>> errors) {
        synchronized (errors) {
            return errors.isEmpty() ? null : errors.get(0);
        }
    }

    /** vars_files, templated with play and extra vars; a list entry means "the first of these that exists". */
    private static Map<String, Object> varsFiles(Run run, Play play, Vars playLevel) {
        Object vf = play.keywords().get("vars_files");
        Map<String, Object> out = new LinkedHashMap<>();
        if (vf == null) return out;
        List<?> entries = vf instanceof List<?> l ? l : List.of(vf);
        for (Object entry : entries) {
            List<?> candidates = entry instanceof List<?> l ? l : List.of(entry);
            Path found = null;
            List<String> tried = new ArrayList<>();
            for (Object c : candidates) {
                Path p = play.baseDir().resolve(String.valueOf(run.templar.template(c, playLevel, play.pos())));
                tried.add(p.toString());
                if (Files.isRegularFile(p)) {
                    found = p;
                    break;
                }
            }
            if (found == null) throw new UserError(play.pos(), "vars_files: could not find " + String.join(" or ", tried));
            out.putAll(run.loader.readVarsFile(found));
        }
        return out;
    }

    /**
     * From the hosts' state at the end, as Ansible does: a failure that was rescued, ignored or cleared with
     * {@code meta: clear_host_errors} does not fail the run, although the recap still counts it.
     */
    static ExitCode exitCode(Run run) {
        if (run.interrupted) return ExitCode.INTERRUPTED;
        boolean failed = run.hosts.values().stream().anyMatch(s -> s.failed && !s.unreachable);
        boolean unreachable = run.hosts.values().stream().anyMatch(s -> s.unreachable);
        boolean fatal;
        synchronized (run.errors) {
            fatal = run.errors.stream().anyMatch(Recovery::fatal);
        }
        if (fatal) return ExitCode.MANUAL_INTERVENTION;
        if (failed) return ExitCode.FAILED;
        if (unreachable) return ExitCode.UNREACHABLE;
        return ExitCode.OK;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "drover-fork-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
