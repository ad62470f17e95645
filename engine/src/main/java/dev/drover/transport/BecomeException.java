package dev.drover.transport;

import java.io.IOException;

/**
 * Privilege escalation failed: wrong or missing password, the user may not sudo, no answer from sudo/su.
 * The host was reached, so this is a task failure, not "unreachable".
 */
public class BecomeException extends IOException {
    public BecomeException(String message) {
        super(message);
    }
}
