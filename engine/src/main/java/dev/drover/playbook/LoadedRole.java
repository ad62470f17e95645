package dev.drover.playbook;

import java.util.List;

/**
 * A role read for one use: its tasks (dependencies' tasks first, each wrapped in an implicit block carrying
 * its {@link RoleRef}) and its handlers (dependencies' first).
 */
public record LoadedRole(RoleRef ref, List<TaskItem> tasks, List<TaskItem> handlers) {
    public LoadedRole {
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
    }
}
