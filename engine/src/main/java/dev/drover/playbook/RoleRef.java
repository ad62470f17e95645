package dev.drover.playbook;

import dev.drover.error.Position;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One use of a role in a play ({@code roles:} entry, {@code import_role}, {@code include_role} or a meta
 * dependency), with the role's files already read.
 *
 * @param name the role name as written ({@code ns.coll.role} for collection roles); tasks show it as
 *     "name : task"
 * @param path the role directory
 * @param params the entry's non-keyword keys (role parameters, e.g. {@code operation_type}); raw
 * @param defaults {@code defaults/main.yml} (or the {@code defaults_from} file), or a {@code defaults/main/}
 *     directory's files merged in sorted order; raw
 * @param vars the same for {@code vars/}; raw
 * @param dependencies {@code meta/main.yml} dependencies, in order; they run before this role
 * @param allowDuplicates {@code meta/main.yml} {@code allow_duplicates}
 * @param duplicate true when the same role with the same params already appears earlier in the play and
 *     duplicates are not allowed: Ansible lists it but runs it only once per host, so the executor skips
 *     this occurrence
 * @param pos where the role was referenced
 */
public record RoleRef(String name, Path path, Map<String, Object> params, Map<String, Object> defaults,
        Map<String, Object> vars, List<RoleRef> dependencies, boolean allowDuplicates, boolean duplicate,
        Position pos) {

    public RoleRef {
        params = Maps.frozen(params);
        defaults = Maps.frozen(defaults);
        vars = Maps.frozen(vars);
        dependencies = List.copyOf(dependencies);
    }

    public Path tasksDir() {
        return path.resolve("tasks");
    }

    public Path handlersDir() {
        return path.resolve("handlers");
    }

    /** Where {@code copy}/{@code script} look for relative {@code src} files of this role's tasks. */
    public Path filesDir() {
        return path.resolve("files");
    }

    /** Where {@code template} looks for relative {@code src} files of this role's tasks. */
    public Path templatesDir() {
        return path.resolve("templates");
    }

    /** Ansible runs a role once per host per play unless params differ: this is what "the same" means. */
    public boolean sameUseAs(RoleRef other) {
        return path.equals(other.path) && params.equals(other.params);
    }

    public RoleRef markDuplicate() {
        return new RoleRef(name, path, params, defaults, vars, dependencies, allowDuplicates, true, pos);
    }
}
