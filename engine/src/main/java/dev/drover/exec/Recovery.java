package dev.drover.exec;

import dev.drover.error.ExitCode;
import dev.drover.playbook.Block;
import dev.drover.playbook.Play;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskItem;
import java.util.List;
import java.util.Map;

/**
 * The recovery section of a playbook: which plays belong to it, whether it runs, and the exit code of a run that
 * has one. A play is a recovery play when it says {@code recovery: true} (or {@code always}), or, in the seed
 * installer's style, when every one of its roles and tasks is guarded by a {@code when} that mentions
 * {@code handle_update_errors}. See docs/recovery.md.
 */
final class Recovery {
    private Recovery() {}

    /** How a play takes part in recovery. */
    enum Kind {
        /** A main-section play. */
        NONE,
        /** Runs after a failure when automatic recovery is allowed. */
        ON_ERRORS,
        /** Runs after any failure, even a {@code fatal} outcome (the play says {@code recovery: always}). */
        ALWAYS
    }

    static Kind kind(Play play) {
        Object kw = play.keywords().get("recovery");
        if (kw instanceof Boolean b) return b ? Kind.ON_ERRORS : Kind.NONE;
        if ("always".equals(kw)) return Kind.ALWAYS;
        return seedStyle(play) ? Kind.ON_ERRORS : Kind.NONE;
    }

    /** Every top-level role and task of the play is guarded by a when naming {@code handle_update_errors}. */
    private static boolean seedStyle(Play play) {
        if (mentions(play.importWhen())) return true;
        int items = 0;
        for (List<TaskItem> section : play.sections()) {
            for (TaskItem item : section) {
                items++;
                Map<String, Object> kw = item instanceof Block b ? b.keywords() : ((Task) item).keywords();
                if (!mentions(kw.get("when"))) return false;
            }
        }
        return items > 0;
    }

    private static boolean mentions(Object when) {
        if (when instanceof List<?> l) return l.stream().anyMatch(Recovery::mentions);
        return when != null && String.valueOf(when).contains("handle_update_errors");
    }

    /** An aggregate entry whose outcome says a person must look before anything else runs. */
    static boolean fatal(Map<String, Object> error) {
        return "fatal".equals(error.get("outcome"));
    }

    /**
     * The exit code of a run whose playbooks have a recovery section, once the main section (and the recovery
     * section, if it ran) are over.
     *
     * @param errors the main section's aggregate
     * @param ran whether recovery plays ran
     * @param recoveryFailed whether a recovery play failed on a host (or left one unreachable)
     */
    static ExitCode exitCode(List<Map<String, Object>> errors, boolean ran, boolean recoveryFailed) {
        if (errors.isEmpty()) return ExitCode.OK;
        if (!ran || recoveryFailed || errors.stream().anyMatch(Recovery::fatal)) return ExitCode.MANUAL_INTERVENTION;
        return ExitCode.RECOVERED;
    }
}
