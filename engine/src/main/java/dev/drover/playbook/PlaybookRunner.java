package dev.drover.playbook;

import java.util.List;

/**
 * Runs loaded playbooks: the seam between {@code drover play} (parsing, loading, listing) and the executor.
 * The integrator supplies the implementation; it returns the process exit code ({@link dev.drover.error.ExitCode}).
 */
@FunctionalInterface
public interface PlaybookRunner {
    int run(PlayOptions options, List<Playbook> playbooks);
}
