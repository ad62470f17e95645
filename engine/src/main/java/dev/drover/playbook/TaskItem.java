package dev.drover.playbook;

import dev.drover.error.Position;
import java.util.Map;

/** One entry of a task list: a task, or a block grouping tasks. */
public sealed interface TaskItem permits Task, Block {
    /** Raw (untemplated) keyword values written on this item. */
    Map<String, Object> keywords();

    Position pos();

    /** The role this item came from, or null for play-level items. */
    RoleRef role();
}
