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
import java.util.UUID;
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

    public Executor(EventSink sink, PlaybookLoader loader, ModuleRegistry modules) {
        this(sink, loader, modules, DefaultHostAccess::new);
    }

    Executor(EventSink sink, PlaybookLoader loader, ModuleRegistry modules, Function<PlayOptions, HostAccess> hostAccessFactory) {
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
        Inventory inventory = new InventoryLoader().load(options.inventories());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.forks()), daemonThreads());
        Path firstDir = playbooks.isEmpty() ? Path.of("") : playbooks.get(0).file().toAbsolutePath().getParent();
        Templar templar = new Templar(firstDir);
        List<String> names = new ArrayList<>();
        for (Playbook p : playbooks) names.add(p.file().toString());
        sink.on(new Event.RunStarted(UUID.randomUUID().toString(), names, options.check()));
        HostAccess access = hostAccessFactory.apply(options);
        Run run = new Run(options, inventory, templar, loader, modules, access, sink, pool, firstDir);
        Thread hook = new Thread(() -> run.interrupted = true, "drover-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            PlayRunner.StartAt startAt = new PlayRunner.StartAt(options.startAtTask());
            outer:
            for (Playbook pb : playbooks) {
                for (Play play : pb.plays()) {
                    if (!runPlay(run, play, startAt)) break outer;
                }
            }
            if (startAt.pending()) {
                sink.on(new Event.Warning("No matching task \"" + options.startAtTask() + "\" found."));
            }
        } finally {
            access.close();
            pool.shutdownNow();
            run.background.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        Map<String, HostStats> stats = new TreeMap<>();
        run.hosts.forEach((h, st) -> {
            if (st.processed()) stats.put(h, st.stats());
        });
        int code = exitCode(run).code();
        sink.on(new Event.RunFinished(stats, code, (System.nanoTime() - start) / 1_000_000));
        sink.close();
        return code;
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
            out.putAll(PlaybookLoader.readVarsFile(found));
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
