package dev.drover.playbook;

import dev.drover.error.Position;
import java.util.List;
import java.util.Map;

/**
 * A task as written. {@code action} is the short module name ({@code ansible.builtin.command} becomes
 * {@code command}); {@code writtenAction} keeps the name as written because {@code --list-tasks} shows
 * unnamed tasks by it. {@code args} and {@code keywords} are raw: templates stay strings, the executor
 * evaluates them. {@code local_action} is recorded as {@code delegate_to: localhost} in keywords.
 */
public record Task(String name, String action, String writtenAction, Map<String, Object> args,
        Map<String, Object> keywords, Position pos, RoleRef role) implements TaskItem {

    public Task {
        args = Maps.frozen(args);
        keywords = Maps.frozen(keywords);
    }

    /** The effective own tags of this task (not inherited ones); see {@link Tags#of}. */
    public List<String> tags() {
        return Tags.of(keywords.get("tags"));
    }

    /** True for {@code include_tasks}, {@code include_role} and the legacy {@code include}: loaded at run time. */
    public boolean isDynamicInclude() {
        return Keywords.DYNAMIC_INCLUDES.contains(action);
    }

    /**
     * The name {@code --list-tasks} shows: the task name ("role : name" inside a role), or for an unnamed task
     * the action as written, without the role (ansible-playbook's listing does so).
     */
    public String displayName() {
        if (name == null || name.isEmpty()) return writtenAction;
        return role == null ? name : role.name() + " : " + name;
    }

    /** The name a run shows in its {@code TASK [...]} banner (Ansible's {@code Task.get_name()}). */
    public String bannerName() {
        String base = name == null || name.isEmpty() ? writtenAction : name;
        return role == null ? base : role.name() + " : " + base;
    }
}
