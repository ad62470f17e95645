package dev.drover.agent.protocol;

/** The byte stream does not follow the protocol: a bug on one side, or something else wrote to the channel. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
