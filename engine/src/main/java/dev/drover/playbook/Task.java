package dev.drover.playbook;

import dev.drover.error.Position;
import java.util.List;
import java.util.Map;

/**
 * A task as written. {@code resolved} is what its module turned out to be ({@link ModuleResolver});
 * {@code writtenAction} keeps the name as written because {@code --list-tasks} shows unnamed tasks by it.
 * {@code args} and {@code keywords} are raw: templates stay strings, the executor evaluates them.
 * {@code local_action} is recorded as {@code delegate_to: localhost} in keywords.
 */
public record Task(String name, ResolvedAction resolved, String writtenAction, Map<String, Object> args,
        Map<String, Object> keywords, Position pos, RoleRef role) implements TaskItem {

    public Task {
        args = Maps.frozen(args);
        keywords = Maps.frozen(keywords);
    }

    /** The short module name the executor dispatches on ({@code ansible.builtin.command} becomes {@code command}). */
    public String action() {
        return resolved.action();
    }

    /** The effective own tags of this task (not inherited ones); see {@link Tags#of}. */
    public List<String> tags() {
        return Tags.of(keywords.get("tags"));
    }

    /** The task's own {@code vars:} (raw, as written); empty when it has none. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> vars() {
        return keywords.get("vars") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** True for {@code include_tasks}, {@code include_role} and the legacy {@code include}: loaded at run time. */
    public boolean isDynamicInclude() {
        return Keywords.DYNAMIC_INCLUDES.contains(action());
    }

    /**
     * The name {@code --list-tasks} shows: the task name ("role : name" inside a role), or for an unnamed task
     * the action as written, without the role (ansible-playbook's listing does so).
     */
    public String displayName() {
        if (name == null || name.isEmpty()) return writtenAction;
        return role == null || action().equals("include_role") ? name : role.name() + " : " + name;
    }

    /**
     * The name a run shows in its {@code TASK [...]} banner (Ansible's {@code get_name()}: include_role tasks
     * never carry the enclosing role's prefix; unnamed they show "include_role : the role").
     */
    public String bannerName() {
        if (action().equals("include_role")) {
            if (name != null && !name.isEmpty()) return name;
            Object r = args.containsKey("name") ? args.get("name") : args.get("role");
            return writtenAction + " : " + r;
        }
        String base = name == null || name.isEmpty() ? writtenAction : name;
        return role == null ? base : role.name() + " : " + base;
    }
}
