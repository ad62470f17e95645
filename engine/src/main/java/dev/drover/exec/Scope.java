package dev.drover.exec;

import dev.drover.playbook.RoleRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keywords inherited from enclosing blocks, roles and imports, as Ansible applies them: {@code when} conditions
 * accumulate (all must hold, evaluated per task), tags accumulate, block {@code vars} stack, and for every other
 * keyword the nearest one wins. Immutable; a child scope is made per block.
 */
record Scope(List<Object> when, List<String> tags, List<Map<String, Object>> varsLowestFirst,
             Map<String, Object> keywords, RoleRef role, boolean rescuable, Map<String, String> environment) {

    static final Scope EMPTY = new Scope(List.of(), List.of(), List.of(), Map.of(), null, false, Map.of());

    /** Keywords that accumulate rather than override. */
    private static final List<String> ACCUMULATED = List.of("when", "tags", "vars", "environment");

    /** Enters a block, role or import whose own keywords are {@code kw}. */
    Scope enter(Map<String, Object> kw, RoleRef itemRole, boolean inRescuableBlock) {
        List<Object> w = new ArrayList<>(when);
        Object ownWhen = kw.get("when");
        if (ownWhen instanceof List<?> l) w.addAll(l);
        else if (ownWhen != null) w.add(ownWhen);
        List<String> t = new ArrayList<>(tags);
        t.addAll(dev.drover.playbook.Tags.of(kw.get("tags")));
        List<Map<String, Object>> v = new ArrayList<>(varsLowestFirst);
        if (kw.get("vars") instanceof Map<?, ?> m) v.add(asStringMap(m));
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (kw.get("environment") instanceof Map<?, ?> m) m.forEach((k, val) -> env.put(String.valueOf(k), val == null ? "" : String.valueOf(val)));
        Map<String, Object> k = new LinkedHashMap<>(keywords);
        kw.forEach((name, value) -> {
            if (!ACCUMULATED.contains(name)) k.put(name, value);
        });
        return new Scope(List.copyOf(w), List.copyOf(t), List.copyOf(v), k, itemRole != null ? itemRole : role,
                inRescuableBlock, env);
    }

    /** The effective value of a non-accumulating keyword for a task with own keywords {@code taskKw}. */
    Object keyword(Map<String, Object> taskKw, String name) {
        return taskKw.containsKey(name) ? taskKw.get(name) : keywords.get(name);
    }

    /** The inherited conditions and the task's own (a list is AND), evaluated with {@code vars}. */
    boolean allows(dev.drover.playbook.Task task, dev.drover.template.Templar t, dev.drover.template.Vars vars) {
        for (Object w : when) if (!t.condition(w, vars, task.pos())) return false;
        Object own = task.keywords().get("when");
        if (own instanceof List<?> l) {
            for (Object w : l) if (!t.condition(w, vars, task.pos())) return false;
            return true;
        }
        return own == null || t.condition(own, vars, task.pos());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
