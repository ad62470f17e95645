package dev.drover.exec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the variable work of a run, in units that do not depend on the machine's speed: entries built for the
 * shared magic variables ({@code groups}, the play's host lists, {@code update_errors}, ...) and layers stacked
 * for a task's variables. A test runs the same playbook on 10 and on 1000 hosts and compares the counts per task
 * and host (Ansible's #73654: there, per-task variable work grows with the inventory).
 */
final class VarsWork {
    private final AtomicLong built = new AtomicLong();
    private final AtomicLong layers = new AtomicLong();
    private final AtomicLong layerSets = new AtomicLong();

    void built(int entries) {
        built.addAndGet(entries);
    }

    void layered(int n) {
        layers.addAndGet(n);
        layerSets.incrementAndGet();
    }

    /** Entries built for the shared magic variables, in all. */
    long built() {
        return built.get();
    }

    /** Layers stacked, over every variable set built for a task (or hostvars entry). */
    long layers() {
        return layers.get();
    }

    /** Variable sets built: about one per task and host, plus hostvars lookups. */
    long layerSets() {
        return layerSets.get();
    }
}
