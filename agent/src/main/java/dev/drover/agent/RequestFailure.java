package dev.drover.agent;

/** A request that could not be done; becomes an ERROR frame with this kind and message. */
final class RequestFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String kind;

    RequestFailure(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    String kind() {
        return kind;
    }
}
