package dev.drover.error;

/**
 * The documented exit codes of {@code drover}. Stable: scripts depend on them. Unlike ansible-playbook,
 * "unreachable" (3) and "bad input" (4) never share a code. See docs/exit-codes.md.
 */
public enum ExitCode {
    OK(0, "every task succeeded (or no host matched)"),
    FAILED(2, "one or more hosts failed; no recovery ran"),
    UNREACHABLE(3, "one or more hosts were unreachable (and none failed otherwise)"),
    BAD_INPUT(4, "bad playbook, inventory, variable or template; nothing ran on any host"),
    BAD_OPTIONS(5, "bad command-line options"),
    RECOVERED(6, "a host failed and the recovery section restored the previous state"),
    MANUAL_INTERVENTION(7, "a host failed and recovery failed, was off, or an outcome was fatal: a person must look"),
    INTERRUPTED(99, "stopped by SIGINT/SIGTERM; the run journal was closed"),
    INTERNAL_ERROR(250, "a bug in Drover; run again with -vvv and report the stack trace");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
