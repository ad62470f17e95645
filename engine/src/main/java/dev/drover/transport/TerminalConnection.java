package dev.drover.transport;

import java.io.IOException;

/**
 * A connection that can also run a command on a pseudo-terminal, which {@code su} needs to ask for a
 * password. On a terminal stderr is merged into stdout and stdin is line-oriented text.
 */
public interface TerminalConnection extends Connection {
    /** Like {@link #start}, on a terminal with echo and output processing off. */
    RemoteProcess startWithTerminal(String command) throws IOException;
}
