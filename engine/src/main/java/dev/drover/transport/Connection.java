package dev.drover.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * A way to run commands and move files on one host: SSH (MINA SSHD) or the controller itself
 * ({@code ansible_connection: local}). One connection is kept per host for the whole run.
 *
 * <p>Commands are shell command lines, run by a POSIX {@code sh} on the host; callers quote with
 * {@link ShellQuote}. Implementations must be safe for use by several threads at once (one channel each).
 */
public interface Connection extends Closeable {

    /** The inventory name of the host this connection reaches. */
    String host();

    /**
     * Runs a command to completion. A timeout kills the remote command and throws {@link CommandTimeoutException}
     * (the task fails, the host stays reachable); a lost connection throws {@link TransportException}.
     */
    ExecResult exec(String command, ExecOptions options) throws IOException;

    /** Starts a long-lived command with raw streams (the agent's channel). */
    RemoteProcess start(String command) throws IOException;

    @Override
    void close() throws IOException;
}
