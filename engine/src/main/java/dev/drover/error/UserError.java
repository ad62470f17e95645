package dev.drover.error;

/**
 * A mistake in what the user wrote (playbook, inventory, variable, template, option). Shown as one line,
 * {@code file:line:column: message}, never with a stack trace (that goes to -vvv only).
 */
public class UserError extends RuntimeException {
    private final Position position;
    private final ExitCode exitCode;

    public UserError(Position position, String message) {
        this(position, message, ExitCode.BAD_INPUT, null);
    }

    public UserError(Position position, String message, Throwable cause) {
        this(position, message, ExitCode.BAD_INPUT, cause);
    }

    public UserError(Position position, String message, ExitCode exitCode, Throwable cause) {
        super(message, cause);
        this.position = position;
        this.exitCode = exitCode;
    }

    /** "expected X, found Y" is the shape every positioned error should have where it applies. */
    public static UserError expected(Position position, String what, String expected, Object found) {
        return new UserError(position, what + ": expected " + expected + ", found " + describe(found));
    }

    public static String describe(Object found) {
        if (found == null) return "nothing (null)";
        if (found instanceof String s) return "'" + s + "' (a string)";
        if (found instanceof java.util.Map<?, ?>) return "a mapping";
        if (found instanceof java.util.List<?>) return "a list";
        if (found instanceof Boolean b) return b + " (a boolean)";
        if (found instanceof Number n) return n + " (a number)";
        return found.toString();
    }

    /** May be null when the error is not tied to a place in a file (for example a command-line value). */
    public Position position() {
        return position;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** The one line shown to the user. */
    public String render() {
        return position == null ? getMessage() : position + ": " + getMessage();
    }

    @Override
    public String toString() {
        return render();
    }
}
