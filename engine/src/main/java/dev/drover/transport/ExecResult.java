package dev.drover.transport;

import java.nio.charset.StandardCharsets;

/** The outcome of a finished command. */
public record ExecResult(int rc, byte[] stdout, byte[] stderr) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
