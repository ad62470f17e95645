package dev.drover.agent.protocol;

/** The {@code kind} of an ERROR frame, so the engine can map it to the right exception. */
public final class ErrorKind {
    public static final String NOT_FOUND = "not_found";
    public static final String DENIED = "denied";
    public static final String IO = "io";
    public static final String TIMEOUT = "timeout";
    public static final String CANCELLED = "cancelled";
    public static final String BAD_REQUEST = "bad_request";
    public static final String INTERNAL = "internal";

    private ErrorKind() {}
}
