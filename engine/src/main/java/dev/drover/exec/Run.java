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
    /** How much variable work the run did (tests prove it does not grow per host with the inventory). */
    final VarsWork varsWork;
    /** Set by SIGINT/SIGTERM: no new task starts. */
    volatile boolean interrupted;

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

    HostState host(String name) {
        return hosts.computeIfAbsent(name, HostState::new);
    }
}
