package dev.drover.playbook;

import dev.drover.error.Position;
import java.util.List;
import java.util.Map;

/**
 * A {@code block}/{@code rescue}/{@code always} group. The loader also uses blocks (with {@code implicit}
 * set) to carry keywords that Ansible applies to a group of tasks without a block being written: a role
 * entry's {@code when}/{@code tags}/{@code vars}, an {@code import_tasks}/{@code import_role}'s keywords.
 * Block keywords are inherited by every task inside (a block's {@code when} is evaluated per task).
 */
public record Block(List<TaskItem> block, List<TaskItem> rescue, List<TaskItem> always,
        Map<String, Object> keywords, Position pos, RoleRef role, boolean implicit) implements TaskItem {

    public Block {
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
        keywords = Maps.frozen(keywords);
    }

    public List<String> tags() {
        return Tags.of(keywords.get("tags"));
    }
}
