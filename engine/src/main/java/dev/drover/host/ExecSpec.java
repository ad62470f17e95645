package dev.drover.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command to run. Exactly one of {@code argv} (no shell: each element reaches the program as one argument)
 * or {@code shell} (a line for {@code /bin/sh -c}) is set.
 */
public record ExecSpec(List<String> argv, String shell, Map<String, String> env, String chdir, byte[] stdin,
                       Duration timeout) {
    public ExecSpec {
        if ((argv == null) == (shell == null)) throw new IllegalArgumentException("exactly one of argv or shell");
        argv = argv == null ? null : List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ExecSpec argv(List<String> argv) {
        return new ExecSpec(argv, null, null, null, null, null);
    }

    public static ExecSpec shell(String line) {
        return new ExecSpec(null, line, null, null, null, null);
    }

    public ExecSpec withEnv(Map<String, String> e) {
        return new ExecSpec(argv, shell, e, chdir, stdin, timeout);
    }

    public ExecSpec withChdir(String dir) {
        return new ExecSpec(argv, shell, env, dir, stdin, timeout);
    }

    public ExecSpec withStdin(byte[] in) {
        return new ExecSpec(argv, shell, env, chdir, in, timeout);
    }

    public ExecSpec withTimeout(Duration t) {
        return new ExecSpec(argv, shell, env, chdir, stdin, t);
    }
}
