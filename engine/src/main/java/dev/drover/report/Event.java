package dev.drover.report;

import dev.drover.error.Position;
import java.util.List;
import java.util.Map;

/** What happens during a run, in order. Sinks (console, JSON report, journal) consume the same stream. */
public sealed interface Event {

    record RunStarted(String runId, List<String> playbooks, boolean checkMode) implements Event {}

    record PlayStarted(String name, String pattern, List<String> hosts) implements Event {}

    /** {@code kind} is "task", "handler", "rescue", "always" or "setup". */
    record TaskStarted(String name, String role, String kind, Position position) implements Event {}

    /** One host's result for one task (or one loop item when {@code item} is set). */
    record HostResult(String host, String task, String action, Status status, Map<String, Object> result, String delegatedTo,
                      String itemLabel, boolean ignored, long millis) implements Event {}

    record Warning(String message) implements Event {}

    /** A task is still running on these hosts after this many seconds (printed periodically for long tasks). */
    record StillRunning(String task, List<String> hosts, long seconds) implements Event {}

    /** An {@code until} condition was not met yet; the task runs again after its delay. */
    record Retrying(String host, String task, int retriesLeft) implements Event {}

    /** The batch or play stopped early, and why (max_fail_percentage, any_errors_fatal, all hosts failed). */
    record PlayStopped(String reason) implements Event {}

    record NoHostsMatched(String pattern) implements Event {}

    /**
     * A failure entered the run-wide aggregate ({@code update_errors.aggregate}): not ignored, not rescued. The
     * entry has host, play, role, task, position, msg, rc and outcome, as templates see it.
     */
    record ErrorRecorded(Map<String, Object> error) implements Event {}

    record RunFinished(Map<String, HostStats> stats, int exitCode, long millis) implements Event {}

    /** How a task ended on a host, as the console shows it. */
    enum Status { OK, CHANGED, FAILED, SKIPPED, UNREACHABLE }
}
