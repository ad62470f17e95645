package dev.drover.transport;

import java.io.IOException;

/**
 * The host could not be reached or the connection broke: Ansible's "UNREACHABLE". Distinct from a
 * command that ran and failed, which is an {@link ExecResult} with a non-zero rc.
 */
public class TransportException extends IOException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
