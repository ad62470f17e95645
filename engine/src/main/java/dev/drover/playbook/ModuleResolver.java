package dev.drover.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Says what a task's action is (Ansible's plugin loader, as its task parser uses it): one of the loader's own
 * actions (imports and includes), else the first {@link ModuleSource} that has it, else not found with every
 * place the sources looked in. A new kind of module (the Python bridge) is a new source, added after
 * {@link NativeActions} so that Drover's own implementation of a module wins.
 */
public final class ModuleResolver {
    /** Actions this loader itself implements (imports) or hands to the executor (includes). */
    static final Set<String> LOADER_ACTIONS = Set.of("import_tasks", "import_role", "include_tasks", "include_role",
            "include", "import_playbook");
    /** The loader writes this task before a role's tasks when the role has an argument spec, so it always exists. */
    private static final String ARGUMENT_SPEC = "validate_argument_spec";

    private final List<ModuleSource> sources;

    public ModuleResolver(List<ModuleSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** What {@code written} ({@code shell}, {@code ansible.builtin.shell}, {@code ns.coll.name}) is at {@code place}. */
    public ResolvedAction resolve(String written, TaskPlace place) {
        String builtin = NativeActions.withoutBuiltinPrefix(written);
        String name = builtin == null ? written : builtin;
        if (LOADER_ACTIONS.contains(name)) return new ResolvedAction.LoaderAction(name);
        if (name.equals(ARGUMENT_SPEC)) return new ResolvedAction.ControllerAction(name);
        Set<String> searched = new LinkedHashSet<>();
        for (ModuleSource source : sources) {
            ResolvedAction found = source.find(written, place);
            if (found instanceof ResolvedAction.NotFound nf) {
                searched.addAll(nf.searched());
            } else if (LOADER_ACTIONS.contains(found.action())) {
                return new ResolvedAction.LoaderAction(found.action()); // ns.coll.import_tasks, as a source shortens it
            } else {
                return found;
            }
        }
        return new ResolvedAction.NotFound(name, new ArrayList<>(searched));
    }

    /** Every name the sources offer, sorted: the candidates of "did you mean" hints. */
    public Set<String> names() {
        Set<String> all = new TreeSet<>();
        for (ModuleSource s : sources) all.addAll(s.names());
        return all;
    }
}
