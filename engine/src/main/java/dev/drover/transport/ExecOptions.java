package dev.drover.transport;

import java.time.Duration;
import java.util.Map;

/** What to give a command besides its text. {@code timeout} null means no limit. */
public record ExecOptions(byte[] stdin, Duration timeout, Map<String, String> env) {
    public static final ExecOptions NONE = new ExecOptions(null, null, Map.of());

    public ExecOptions {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public ExecOptions withTimeout(Duration t) {
        return new ExecOptions(stdin, t, env);
    }

    public ExecOptions withStdin(byte[] in) {
        return new ExecOptions(in, timeout, env);
    }
}
