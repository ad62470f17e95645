package dev.drover.host;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code wait_for} condition checked on the host. {@code state} is started/stopped for ports and
 * present/absent for paths; a regex is searched (multi-line) in the file's content.
 */
public record WaitForSpec(String what, String host, int port, String path, String regex, String state,
                          Duration timeout, Duration sleep) {
    public WaitForSpec {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(timeout, "timeout");
        if (sleep == null) sleep = Duration.ofSeconds(1);
    }

    public static WaitForSpec portOpen(String host, int port, Duration timeout) {
        return new WaitForSpec("port", host, port, null, null, "started", timeout, null);
    }

    public static WaitForSpec portClosed(String host, int port, Duration timeout) {
        return new WaitForSpec("port", host, port, null, null, "stopped", timeout, null);
    }

    public static WaitForSpec pathPresent(String path, Duration timeout) {
        return new WaitForSpec("path", null, 0, path, null, "present", timeout, null);
    }

    public static WaitForSpec pathAbsent(String path, Duration timeout) {
        return new WaitForSpec("path", null, 0, path, null, "absent", timeout, null);
    }

    public static WaitForSpec regexInFile(String path, String regex, Duration timeout) {
        return new WaitForSpec("regex", null, 0, path, regex, null, timeout, null);
    }

    public WaitForSpec withSleep(Duration s) {
        return new WaitForSpec(what, host, port, path, regex, state, timeout, s);
    }
}
