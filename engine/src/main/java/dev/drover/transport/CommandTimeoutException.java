package dev.drover.transport;

import java.io.IOException;

/**
 * A command ran past its own timeout and was killed with its children. The host is fine (unlike
 * {@link TransportException}); the task fails.
 */
public class CommandTimeoutException extends IOException {
    public CommandTimeoutException(String message) {
        super(message);
    }
}
