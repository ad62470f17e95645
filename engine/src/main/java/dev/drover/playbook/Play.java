package dev.drover.playbook;

import dev.drover.error.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One play, loaded and statically expanded.
 *
 * @param name the play's name, or the hosts pattern when unnamed (as Ansible shows it)
 * @param hosts the hosts pattern; a YAML list is joined with ','
 * @param hostPatterns the patterns as written: one element for a string, the items of a YAML list
 * @param pos where the play starts
 * @param keywords every other play keyword as written (raw): serial, order, strategy, gather_facts,
 *     vars, vars_files, vars_prompt, become*, environment, tags, any_errors_fatal, max_fail_percentage,
 *     force_handlers, ... ({@link Keywords#PLAY})
 * @param preTasks {@code pre_tasks}
 * @param roles one implicit {@link Block} per {@code roles:} entry, carrying the entry's keywords
 *     (when, tags, become, vars...) and its {@link RoleRef}; dependencies come first inside it
 * @param tasks {@code tasks}, with imports expanded
 * @param postTasks {@code post_tasks}
 * @param handlers role handlers (from {@code roles:} and {@code import_role}) then the play's own
 * @param importWhen conditions from an enclosing {@code import_playbook ... when:}; every task of the play is
 *     guarded by them (Ansible also skips fact gathering when they are false)
 * @param baseDir the directory relative paths in this play resolve against (its playbook file's)
 */
public record Play(String name, String hosts, List<String> hostPatterns, Position pos, Map<String, Object> keywords,
        List<TaskItem> preTasks, List<TaskItem> roles, List<TaskItem> tasks, List<TaskItem> postTasks,
        List<TaskItem> handlers, List<Object> importWhen, Path baseDir) {

    public Play {
        hostPatterns = List.copyOf(hostPatterns);
        keywords = Maps.frozen(keywords);
        preTasks = List.copyOf(preTasks);
        roles = List.copyOf(roles);
        tasks = List.copyOf(tasks);
        postTasks = List.copyOf(postTasks);
        handlers = List.copyOf(handlers);
        importWhen = List.copyOf(importWhen);
    }

    public List<String> tags() {
        return Tags.of(keywords.get("tags"));
    }

    /** The play's {@code vars}; Ansible also accepts a list of mappings, merged in order. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> vars() {
        Object v = keywords.get("vars");
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        if (v instanceof List<?> list) {
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            for (Object o : list) merged.putAll((Map<String, Object>) o); // shapes checked by the loader
            return java.util.Collections.unmodifiableMap(merged);
        }
        return Map.of();
    }

    /** pre_tasks, roles, tasks, post_tasks in run order (without the implicit handler flushes). */
    public List<List<TaskItem>> sections() {
        return List.of(preTasks, roles, tasks, postTasks);
    }
}
