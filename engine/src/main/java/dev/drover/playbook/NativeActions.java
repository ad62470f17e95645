package dev.drover.playbook;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drover's own actions: the native modules and the actions the executor runs on the controller. A name is
 * found by its short name, its {@code ansible.builtin.}/{@code ansible.legacy.} FQCN, or any
 * {@code ns.coll.name} whose last part Drover implements. Where the task sits does not matter to it.
 *
 * @param modules names of the native host modules
 * @param controllerActions names of the actions run on the controller; a name in both is a controller action
 *     (the executor decides so: {@code ping} runs on the controller when no module of that name is wired)
 */
public record NativeActions(Set<String> modules, Set<String> controllerActions) implements ModuleSource {
    private static final List<String> BUILTIN_PREFIXES = List.of("ansible.builtin.", "ansible.legacy.");

    public NativeActions {
        modules = Set.copyOf(modules);
        controllerActions = Set.copyOf(controllerActions);
    }

    @Override
    public ResolvedAction find(String written, TaskPlace place) {
        String builtin = withoutBuiltinPrefix(written);
        if (builtin != null) return lookup(builtin);
        ResolvedAction asWritten = lookup(written);
        if (!(asWritten instanceof ResolvedAction.NotFound)) return asWritten;
        int dot = written.lastIndexOf('.');
        if (dot > 0 && written.chars().filter(c -> c == '.').count() == 2) {
            ResolvedAction last = lookup(written.substring(dot + 1));
            if (!(last instanceof ResolvedAction.NotFound)) return last;
        }
        return asWritten;
    }

    /** Sorted, so that a hint picks the same candidate on every run when two are equally close. */
    @Override
    public Set<String> names() {
        Set<String> all = new TreeSet<>(modules);
        all.addAll(controllerActions);
        return all;
    }

    private ResolvedAction lookup(String name) {
        if (controllerActions.contains(name)) return new ResolvedAction.ControllerAction(name);
        if (modules.contains(name)) return new ResolvedAction.NativeModule(name);
        return new ResolvedAction.NotFound(name, List.of());
    }

    /** {@code x} for {@code ansible.builtin.x} or {@code ansible.legacy.x}; null for other names. */
    static String withoutBuiltinPrefix(String written) {
        for (String prefix : BUILTIN_PREFIXES) {
            if (written.startsWith(prefix)) return written.substring(prefix.length());
        }
        return null;
    }
}
