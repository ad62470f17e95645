package dev.drover.exec;

import dev.drover.inventory.Inventory;
import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.report.EventSink;
import dev.drover.template.Templar;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run-wide services and state, shared by every play: options, the (runtime-extensible) inventory, the templar,
 * module registry, host access, the event sink and per-host state.
 */
final class Run {
    final PlayOptions options;
    final AtomicReference<Inventory> inventory;
    final Templar templar;
    final PlaybookLoader loader;
    final ModuleRegistry modules;
    final HostAccess hostAccess;
    final EventSink sink;
    final ExecutorService pool;
    final Path playbookDir;
    final Map<String, HostState> hosts = new ConcurrentHashMap<>();
    /** Runs actions that have a {@code timeout} or {@code async}; cached so waiting forks never starve it. */
    final ExecutorService background = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drover-async");
        t.setDaemon(true);
        return t;
    });
    /** {@code async} + {@code poll: 0} jobs, by ansible_job_id, for {@code async_status}. */
    final Map<String, java.util.concurrent.Future<Map<String, Object>>> asyncJobs = new ConcurrentHashMap<>();
    /**
     * Every failure of the run that was not ignored or rescued, in order: the seed installer's
     * {@code update_errors.aggregate}, visible to every host's templates.
     */
    final java.util.List<Map<String, Object>> errors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** Failures of recovery plays: reported after the original errors, never in their place. */
    final java.util.List<Map<String, Object>> recoveryErrors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** {@code marker} actions passed so far: marker name to the hosts that passed it, in order ({@code run_markers}). */
    final Map<String, java.util.List<String>> markers = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /**
     * The playbooks have a recovery section: the first failure on any host stops every host at the next task
     * boundary, so that recovery starts from a cluster that stopped together.
     */
    volatile boolean stopOnFirstError;
    /** Recovery plays are running: failures go to {@link #recoveryErrors}, and they do not stop other hosts. */
    volatile boolean inRecovery;
    /** How much variable work the run did (tests prove it does not grow per host with the inventory). */
    final VarsWork varsWork;
    /** Set by SIGINT/SIGTERM: no new task starts. */
    volatile boolean interrupted;
    /** Set by a second SIGINT/SIGTERM: tasks in flight are cancelled. */
    volatile boolean cancelled;

    Run(PlayOptions options, Inventory inventory, Templar templar, PlaybookLoader loader, ModuleRegistry modules,
        HostAccess hostAccess, EventSink sink, ExecutorService pool, Path playbookDir, VarsWork varsWork) {
        this.options = options;
        this.inventory = new AtomicReference<>(inventory);
        this.templar = templar;
        this.loader = loader;
        this.modules = modules;
        this.hostAccess = hostAccess;
        this.sink = sink;
        this.pool = pool;
        this.playbookDir = playbookDir;
        this.varsWork = varsWork;
    }

    /** Whether the main section must stop at this task boundary because a host failed. */
    boolean clusterStopped() {
        return stopOnFirstError && !inRecovery && !errors.isEmpty();
    }

    /** Adds a failure to the aggregate of the current section (main or recovery). */
    void recordError(Map<String, Object> error) {
        recordError(error, false);
    }

    /**
     * {@code noLog}: templates see the message (as a registered no_log result keeps it), the outputs (console,
     * reports, event stream, journal) see it censored.
     */
    void recordError(Map<String, Object> error, boolean noLog) {
        Map<String, Object> e = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(error));
        (inRecovery ? recoveryErrors : errors).add(e);
        Map<String, Object> shown = e;
        if (noLog) {
            Map<String, Object> c = new java.util.LinkedHashMap<>(e);
            c.replaceAll((k, v) -> k.equals("msg") || k.equals("message") ? Results.CENSORED : v);
            shown = java.util.Collections.unmodifiableMap(c);
        }
        sink.on(new dev.drover.report.Event.ErrorRecorded(shown, inRecovery));
    }

    HostState host(String name) {
        return hosts.computeIfAbsent(name, HostState::new);
    }
}
