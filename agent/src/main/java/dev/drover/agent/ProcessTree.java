package dev.drover.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Kills a process with everything it started that is still attached to it. */
final class ProcessTree {
    private ProcessTree() {}

    /**
     * Takes the list of descendants before killing anything: once a parent dies its children are
     * re-parented and can no longer be found from it. Processes that detached themselves earlier
     * (double fork, setsid daemons) are out of reach, as they are for Ansible.
     */
    static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().collect(Collectors.toList()));
        root.destroyForcibly();
        for (ProcessHandle h : tree) h.destroyForcibly();
    }

    /** Kills every process below the agent itself; used when the agent stops. */
    static void killAllChildrenOf(ProcessHandle self) {
        // Two passes: a child may fork between the snapshot and the kill.
        for (int pass = 0; pass < 2; pass++) {
            List<ProcessHandle> all = self.descendants().collect(Collectors.toList());
            if (all.isEmpty()) return;
            for (ProcessHandle h : all) h.destroyForcibly();
        }
    }
}
