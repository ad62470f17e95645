package dev.drover.report;

import dev.drover.error.Position;
import java.util.List;
import java.util.Map;

/** What happens during a run, in order. Sinks (console, JSON report, journal) consume the same stream. */
public sealed interface Event {

    record RunStarted(String runId, List<String> playbooks, boolean checkMode) implements Event {}

    /**
     * What the run will do, sent after {@link RunStarted}: one map per play in written order with name, hosts,
     * recovery ("none", "on_errors", "always"), position and tasks (each with name, action and position).
     */
    record Planned(List<Map<String, Object>> plays) implements Event {}

    /**
     * A task set host variables: its {@code register} value and/or {@code set_fact} facts. {@code noLog}: the
     * task had no_log (the values must not be written anywhere).
     */
    record HostVarsSet(String host, Map<String, Object> vars, boolean noLog) implements Event {}

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
     * A failure entered the run-wide aggregate ({@code update_errors}): host, play, role, task, position, msg
     * (also as message), rc, outcome ("failed", "unreachable", "recoverable", "fatal"). {@code recovery}: the
     * failure happened in a recovery play, and went to {@code update_errors.recovery}.
     */
    record ErrorRecorded(Map<String, Object> error, boolean recovery) implements Event {}

    /**
     * A playbook with a recovery section stopped its main section because of this first failure; the remaining
     * main-section tasks and plays are skipped on every host.
     */
    record ClusterStopped(Map<String, Object> firstError) implements Event {}

    /** The recovery section starts ({@code run} true) or is skipped, and why. */
    record RecoveryStarted(boolean run, String reason, int errors) implements Event {}

    /**
     * A task's {@code outcomes:} mapped its exit code: {@code status} is ok, recoverable or fatal; the console
     * prints the message as {@code INFO__...__INFO} or {@code FAIL__...__FAIL}.
     */
    record OutcomeReached(String host, String task, Object rc, String status, String message) implements Event {}

    /** A host passed a {@code marker} (for example point_of_no_return). */
    record MarkerPassed(String host, String name, String message) implements Event {}

    /**
     * How the run ended, sent just before {@link RunFinished}: the exit code's name, the first failure of the
     * main section (null when none) and of the recovery section.
     */
    record RunOutcome(int exitCode, String name, String meaning, Map<String, Object> firstError,
                      Map<String, Object> firstRecoveryError, int errors, int recoveryErrors) implements Event {}

    record RunFinished(Map<String, HostStats> stats, int exitCode, long millis) implements Event {}

    /** How a task ended on a host, as the console shows it. */
    enum Status { OK, CHANGED, FAILED, SKIPPED, UNREACHABLE }
}
