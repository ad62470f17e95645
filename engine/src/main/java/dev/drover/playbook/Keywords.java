package dev.drover.playbook;

import java.util.Set;
import java.util.TreeSet;

/**
 * The keyword names Ansible (ansible-core 2.14) accepts at each level, taken from the FieldAttributes of its
 * Play, Block, Task, Handler, RoleDefinition and PlaybookInclude classes (playbooks_keywords.rst).
 * Anything else on a play/block is an error; on a task it is the module name. Drover adds {@code recovery} (play)
 * and {@code outcomes} (task), see docs/recovery.md.
 */
public final class Keywords {
    private Keywords() {}

    /** Shared by plays, roles, blocks and tasks (Base, Become, Conditional... mixins). */
    private static final Set<String> BASE = Set.of("any_errors_fatal", "become", "become_exe", "become_flags",
            "become_method", "become_user", "check_mode", "collections", "connection", "debugger", "diff",
            "environment", "ignore_errors", "ignore_unreachable", "module_defaults", "name", "no_log", "port",
            "remote_user", "run_once", "tags", "throttle", "timeout", "vars");

    public static final Set<String> PLAY = union(BASE, Set.of("hosts", "fact_path", "force_handlers",
            "gather_facts", "gather_subset", "gather_timeout", "handlers", "max_fail_percentage", "order",
            "post_tasks", "pre_tasks", "recovery", "roles", "serial", "strategy", "tasks", "vars_files", "vars_prompt"));

    public static final Set<String> BLOCK = union(BASE, Set.of("block", "rescue", "always", "delegate_facts",
            "delegate_to", "notify", "when"));

    /** Task keywords; {@code with_<lookup>} keys are accepted as well (see {@link #isTaskKeyword}). */
    public static final Set<String> TASK = union(BASE, Set.of("action", "local_action", "args", "async",
            "changed_when", "delay", "delegate_facts", "delegate_to", "failed_when", "loop", "loop_control",
            "notify", "outcomes", "poll", "register", "retries", "until", "when"));

    public static final Set<String> HANDLER = union(TASK, Set.of("listen"));

    /** Keys of a {@code roles:} entry that are keywords (applied to every task of the role); the rest are params. */
    public static final Set<String> ROLE_ENTRY = union(BASE, Set.of("when", "delegate_to", "delegate_facts"));

    public static final Set<String> IMPORT_PLAYBOOK = union(BASE, Set.of("import_playbook", "when"));

    /** Actions loaded at run time. */
    public static final Set<String> DYNAMIC_INCLUDES = Set.of("include_tasks", "include_role", "include");

    /** Actions expanded at load time. */
    public static final Set<String> STATIC_IMPORTS = Set.of("import_tasks", "import_role");

    /** Lookups Ansible offers as {@code with_<name>}; others are refused with a suggestion. */
    public static final Set<String> WITH_LOOKUPS = union(Set.of(), Set.of("items", "list", "dict", "sequence", "subelements",
            "nested", "cartesian", "together", "indexed_items", "flattened", "fileglob", "first_found",
            "random_choice", "lines", "file", "inventory_hostnames", "env", "template", "ini", "csvfile",
            "password", "pipe", "url", "varnames", "vars", "community.general.filetree", "filetree"));

    /** Free-form modules: {@code k=v} words other than these options stay part of the command line. */
    public static final Set<String> FREE_FORM = Set.of("command", "shell", "raw", "script", "win_command",
            "win_shell");

    public static final Set<String> FREE_FORM_OPTIONS = Set.of("creates", "removes", "chdir", "executable",
            "warn", "stdin", "stdin_add_newline", "strip_empty_ends");

    /** Actions that accept leftover free-form words (Ansible's RAW_PARAM_MODULES). */
    public static final Set<String> RAW_PARAM_ACTIONS = union(FREE_FORM, Set.of("include", "include_vars",
            "include_tasks", "include_role", "import_tasks", "import_role", "add_host", "group_by", "set_fact",
            "meta"));

    public static boolean isTaskKeyword(String key, boolean handler) {
        return (handler ? HANDLER : TASK).contains(key) || key.startsWith("with_");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        // sorted, so that "did you mean" picks the same candidate on every run when two are equally close
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return java.util.Collections.unmodifiableSet(out);
    }
}
