package dev.drover.exec;

import dev.drover.report.Event.Status;
import java.util.Map;

/**
 * One host's result of one task (after loops, retries and failed_when/changed_when). {@code result} is what
 * {@code register} sees, uncensored; {@code noLog} says it must not reach any output.
 */
record TaskOutcome(String host, Status status, Map<String, Object> result, boolean ignored, String delegatedTo,
                   boolean noLog) {

    boolean failed() {
        return status == Status.FAILED && !ignored;
    }

    boolean unreachable() {
        return status == Status.UNREACHABLE && !ignored;
    }

    boolean changed() {
        return status == Status.CHANGED;
    }
}
