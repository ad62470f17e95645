package dev.drover.host;

import java.io.IOException;

/**
 * A command ran past its own timeout and was killed with its children. The host is fine (unlike
 * {@link dev.drover.transport.TransportException}); the task fails.
 */
public class CommandTimeoutException extends IOException {
    public CommandTimeoutException(String message) {
        super(message);
    }
}
