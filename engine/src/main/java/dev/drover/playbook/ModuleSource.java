package dev.drover.playbook;

import java.util.Set;

/**
 * One place modules come from: Drover's own ({@link NativeActions}), or another (the Python module bridge).
 * The {@link ModuleResolver} asks its sources in order; the first that has the action wins.
 */
public interface ModuleSource {
    /**
     * What {@code written} (as the task spells it: {@code shell}, {@code ansible.builtin.shell},
     * {@code community.general.ini_file}) is to this source for a task at {@code place}; a
     * {@link ResolvedAction.NotFound} listing the places looked in when this source does not have it.
     */
    ResolvedAction find(String written, TaskPlace place);

    /** Names this source offers, for "did you mean" hints. */
    Set<String> names();
}
