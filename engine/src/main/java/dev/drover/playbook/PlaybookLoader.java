package dev.drover.playbook;

import dev.drover.error.Position;
import dev.drover.error.Suggest;
import dev.drover.error.UserError;
import dev.drover.yaml.VaultKeys;
import dev.drover.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads playbooks, task files and roles into the model, expanding what Ansible expands at load time
 * ({@code import_playbook}, {@code import_tasks}, {@code import_role}, {@code roles:}, role dependencies) and
 * leaving {@code include_tasks}/{@code include_role} as tasks for the executor, which loads them at run time
 * through {@link #loadTasksFile}, {@link #resolveTasksFile} and {@link #loadRole}.
 *
 * <p>Every mistake is a {@link UserError} with the file, line and column, what was expected and what was
 * found. Tasks whose module the {@link ModuleResolver} does not find are not errors here: they are collected in
 * {@link Playbook#unknownModules()} so that listing commands can warn and a run can refuse to start.
 */
public final class PlaybookLoader {
    private static final List<String> YAML_EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final ModuleResolver modules;
    private final List<Path> rolesPath;
    private final List<Path> collectionsPaths;
    private final Map<String, Object> extraVars;
    private final VaultKeys vault;

    /**
     * @param modules says what each task's module is (Drover's own actions, and any other module source)
     * @param rolesPath directories searched for roles after the playbook's own {@code roles/}: the
     *     {@code --roles-path} entries, then the project's roles directories
     * @param collectionsPaths directories that contain {@code ansible_collections/<ns>/<coll>}; the
     *     playbook's own {@code collections/} directory is always searched first
     */
    public PlaybookLoader(ModuleResolver modules, List<Path> rolesPath, List<Path> collectionsPaths) {
        this(modules, rolesPath, collectionsPaths, Map.of(), VaultKeys.NONE);
    }

    /**
     * @param extraVars {@code -e} values: like Ansible, they may name imported files and roles
     *     ({@code import_tasks: "{{ step }}.yml"})
     * @param vault opens vaulted files (playbooks, task files, vars files, role vars and defaults) and the
     *     inline {@code !vault} values in them, when they are used
     */
    public PlaybookLoader(ModuleResolver modules, List<Path> rolesPath, List<Path> collectionsPaths,
            Map<String, Object> extraVars, VaultKeys vault) {
        this.vault = vault;
        this.extraVars = Maps.frozen(extraVars);
        this.modules = modules;
        this.rolesPath = rolesPath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.collectionsPaths = collectionsPaths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Loads a playbook file with its imported playbooks, roles and imported task files. */
    public Playbook load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new UserError(Position.file(file), Files.exists(abs) ? "the playbook is not a file"
                    : "the playbook was not found");
        }
        Session s = new Session();
        List<Play> plays = s.playbookFile(abs, new ArrayDeque<>());
        return new Playbook(file, plays, s.unknown);
    }

    /**
     * Loads a tasks file for {@code include_tasks} at run time. Refuses tasks whose module is unknown (the
     * run has started; there is no later point to report them).
     *
     * @param role the role the including task belongs to, or null; the included tasks belong to it too
     */
    public List<TaskItem> loadTasksFile(Path file, RoleRef role) {
        Session s = new Session();
        Path abs = file.toAbsolutePath().normalize();
        List<Path> roleDirs = role == null ? List.of() : List.of(role.path());
        List<String> collections = role == null ? List.of() : s.roleCollections(role.path());
        List<TaskItem> items = s.taskFile(abs, new Ctx(abs.getParent(), abs, role, new PlayState(List.of(), Map.of()),
                false, new ArrayDeque<>(), roleDirs, collections));
        refuseUnknown(s.unknown);
        return items;
    }

    /**
     * Where {@code include_tasks: <file>} of {@code task} points, searched as Ansible does: inside a role its
     * {@code tasks/} directory then the role directory; otherwise the including file's directory, then the
     * play's directory.
     */
    public Path resolveTasksFile(String file, Task task, Path playBaseDir) {
        Path including = task.pos() == null ? null : Path.of(task.pos().file()).toAbsolutePath().getParent();
        return findTaskFile(file, task.role(), including, playBaseDir, task.pos());
    }

    /**
     * Loads a role for {@code include_role} at run time: resolves it (the same search as {@code roles:}),
     * reads defaults/vars/meta, and loads its tasks ({@code tasksFrom} or main) and handlers.
     *
     * @param tasksFrom {@code tasks_from}, or null for main; likewise the other {@code *_from}
     * @param collections the play's {@code collections} keyword (may be empty)
     */
    public LoadedRole loadRole(String name, String tasksFrom, String varsFrom, String defaultsFrom,
            String handlersFrom, Map<String, Object> params, Path playBaseDir, List<String> collections,
            Position pos) {
        Session s = new Session();
        PlayState ps = new PlayState(collections, Map.of());
        Ctx ctx = new Ctx(playBaseDir.toAbsolutePath().normalize(), null, null, ps, false, new ArrayDeque<>(),
                List.of(), collections);
        LoadedRole loaded = s.role(name, params, tasksFrom, varsFrom, defaultsFrom, handlersFrom, pos, ctx,
                null, new ArrayDeque<>(), true);
        refuseUnknown(s.unknown);
        return loaded;
    }

    /** The vault keys this loader reads files with; the executor reads the inventory and module sources with them. */
    public VaultKeys vault() {
        return vault;
    }

    /** Reads a vars file (vars_files, include_vars): a mapping, or an empty file; a vaulted file is opened. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readVarsFile(Path file) {
        YamlReader.Document doc = YamlReader.parse(file, vault);
        if (doc.root() == null || isNull(doc.root())) return Map.of(); // empty or comments only
        if (!(doc.root() instanceof MappingNode)) {
            throw UserError.expected(doc.position(doc.root()), "vars file", "a mapping of variables",
                    doc.toJava());
        }
        return (Map<String, Object>) doc.toJava();
    }

    private static void refuseUnknown(List<Task> unknown) {
        if (unknown.isEmpty()) return;
        Task first = unknown.get(0);
        String rest = unknown.size() == 1 ? "" : " (and " + (unknown.size() - 1) + " more: "
                + unknown.stream().skip(1).map(t -> t.writtenAction() + " at " + t.pos()).collect(Collectors.joining(", "))
                + ")";
        throw new UserError(first.pos(), "unknown module '" + first.writtenAction() + "'" + rest);
    }

    // ---------------------------------------------------------------------------------------------

    /** A found role: its display name (FQCN for collection roles, the last path part for paths) and directory. */
    private record RoleLocation(String name, Path path) {}

    /** A role entry's wrapping block and the handlers it brings. */
    private record RoleUse(Block block, List<TaskItem> handlers) {}

    /** Per-play state: which roles were used (for dedup) and the role handlers collected. */
    private static final class PlayState {
        final List<RoleRef> used = new ArrayList<>();
        final List<TaskItem> roleHandlers = new ArrayList<>();
        final List<String> collections;
        final Map<String, Object> vars;

        PlayState(List<String> collections, Map<String, Object> vars) {
            this.collections = collections;
            this.vars = vars;
        }
    }

    /** What a load-time name may refer to, highest precedence first (Ansible's order for these sources). */
    private Object loadTimeVariable(String name, RoleRef role, PlayState play) {
        if (extraVars.containsKey(name)) return extraVars.get(name);
        if (role != null && role.params().containsKey(name)) return role.params().get(name);
        if (role != null && role.vars().containsKey(name)) return role.vars().get(name);
        if (play.vars.containsKey(name)) return play.vars.get(name);
        if (role != null && role.defaults().containsKey(name)) return role.defaults().get(name);
        return null;
    }

    /**
     * Where we are while reading tasks: the play's directory, the file being read, the role (or null), the
     * play state, whether these are handlers, the chain of files being imported (to refuse cycles), and for
     * module lookups the role directories we are inside (innermost first) and the collections in force.
     */
    private record Ctx(Path baseDir, Path file, RoleRef role, PlayState play, boolean handlers, Deque<Path> stack,
            List<Path> roleDirs, List<String> collections) {
        Ctx inFile(Path f) {
            return new Ctx(baseDir, f, role, play, handlers, stack, roleDirs, collections);
        }

        /** Inside role {@code r} (whose tasks search {@code roleCollections}), reading {@code f}. */
        Ctx inRole(RoleRef r, Path f, List<String> roleCollections) {
            return new Ctx(baseDir, f, r, play, handlers, stack, roleDirs, roleCollections);
        }

        /** Loading a role found in {@code dir}: its tasks and dependencies sit inside it. */
        Ctx enteringRole(Path dir) {
            List<Path> dirs = new ArrayList<>();
            dirs.add(dir);
            dirs.addAll(roleDirs);
            return new Ctx(baseDir, file, role, play, handlers, stack, dirs, collections);
        }

        Ctx withCollections(List<String> c) {
            return new Ctx(baseDir, file, role, play, handlers, stack, roleDirs, c);
        }

        Ctx asHandlers() {
            return new Ctx(baseDir, file, role, play, true, stack, roleDirs, collections);
        }

        Ctx asTasks() {
            return new Ctx(baseDir, file, role, play, false, stack, roleDirs, collections);
        }

        /** The place of a task written here, with its own {@code collections:} keyword if it has one. */
        TaskPlace place(Object ownCollections) {
            List<String> search = new ArrayList<>(ownCollections == null ? collections : Tags.of(ownCollections));
            if (!search.isEmpty() && !search.contains("ansible.builtin") && !search.contains("ansible.legacy")) {
                search.add("ansible.legacy");
            }
            return new TaskPlace(baseDir, file, roleDirs, search);
        }
    }

    /** One load: collects unknown modules in file order. Not shared between loads. */
    private final class Session {
        final List<Task> unknown = new ArrayList<>();

        // ----- playbooks and plays -----

        List<Play> playbookFile(Path file, Deque<Path> stack) {
            if (stack.contains(file)) {
                throw new UserError(Position.file(file), "import_playbook cycle: " + chain(stack, file));
            }
            stack.push(file);
            try {
                YamlReader.Document doc = YamlReader.parse(file, vault);
                Node root = doc.root();
                if (root == null) {
                    throw new UserError(Position.of(file, 1, 1), "the playbook is empty: expected a list of plays");
                }
                if (!(root instanceof SequenceNode seq)) {
                    throw UserError.expected(pos(file, root), "playbook", "a list of plays", describeNode(file, root));
                }
                List<Play> plays = new ArrayList<>();
                for (Node entry : seq.getValue()) {
                    if (!(entry instanceof MappingNode map)) {
                        throw UserError.expected(pos(file, entry), "play", "a mapping with 'hosts:'",
                                describeNode(file, entry));
                    }
                    if (hasKey(file, map, "import_playbook", "ansible.builtin.import_playbook",
                            "ansible.legacy.import_playbook")) {
                        plays.addAll(importPlaybook(file, map, stack));
                    } else {
                        plays.add(play(file, map));
                    }
                }
                return plays;
            } finally {
                stack.pop();
            }
        }

        @SuppressWarnings("unchecked")
        List<Play> importPlaybook(Path file, MappingNode map, Deque<Path> stack) {
            Map<String, Object> kw = new LinkedHashMap<>();
            String target = null;
            Position targetPos = pos(file, map);
            for (NodeTuple t : YamlReader.entries(file, map)) {
                String key = YamlReader.keyText(file, t.getKeyNode());
                Position kpos = pos(file, t.getKeyNode());
                if (key.endsWith("import_playbook")) {
                    Object v = YamlReader.toJava(file, vault, t.getValueNode());
                    if (!(v instanceof String s) || s.isBlank()) {
                        throw UserError.expected(pos(file, t.getValueNode()), "'import_playbook'",
                                "the path of a playbook file", v);
                    }
                    // "import_playbook: other.yml x=1" (old style) passes vars after the name
                    List<String> words = KvParser.split(s);
                    target = words.get(0);
                    if (words.size() > 1) {
                        kw.put("vars", KvParser.parse(KvParser.joinWords(words.subList(1, words.size())), false));
                    }
                    targetPos = pos(file, t.getValueNode());
                } else if (Keywords.IMPORT_PLAYBOOK.contains(key)) {
                    Object v = YamlReader.toJava(file, vault, t.getValueNode());
                    KeywordTypes.check(key, v, pos(file, t.getValueNode()));
                    kw.put(key, v);
                } else {
                    throw unknownKey(kpos, key, "import_playbook", Keywords.IMPORT_PLAYBOOK);
                }
            }
            Map<String, Object> ownVars = kw.get("vars") instanceof Map<?, ?> mv ? (Map<String, Object>) mv : Map.of();
            target = LoadTimeNames.render(target, v -> extraVars.containsKey(v) ? extraVars.get(v) : ownVars.get(v),
                    targetPos, "import_playbook");
            Path path = file.getParent().resolve(target).normalize();
            if (!Files.isRegularFile(path)) {
                throw new UserError(targetPos, "import_playbook: file '" + target + "' not found (looked for " + show(path) + ")");
            }
            if (stack.contains(path)) {
                throw new UserError(targetPos, "import_playbook cycle: " + chain(stack, path));
            }
            List<Play> imported = playbookFile(path, stack);
            List<Play> out = new ArrayList<>();
            List<String> importTags = Tags.of(kw.get("tags"));
            List<Object> importWhen = conditions(kw.get("when"));
            Map<String, Object> importVars = kw.get("vars") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            for (Play p : imported) {
                Map<String, Object> keywords = new LinkedHashMap<>(p.keywords());
                if (!importTags.isEmpty()) {
                    Set<String> tags = new LinkedHashSet<>(p.tags());
                    tags.addAll(importTags);
                    keywords.put("tags", new ArrayList<>(tags));
                }
                if (!importVars.isEmpty()) {
                    Map<String, Object> vars = new LinkedHashMap<>(p.vars());
                    vars.putAll(importVars); // the import's vars win, as in Ansible (entry.vars | import.vars)
                    keywords.put("vars", vars);
                }
                List<Object> when = new ArrayList<>(importWhen);
                when.addAll(p.importWhen());
                out.add(new Play(p.name(), p.hosts(), p.hostPatterns(), p.pos(), keywords, p.preTasks(), p.roles(), p.tasks(),
                        p.postTasks(), p.handlers(), when, p.baseDir()));
            }
            return out;
        }

        Play play(Path file, MappingNode map) {
            Map<String, NodeTuple> sections = new LinkedHashMap<>();
            Map<String, Object> kw = new LinkedHashMap<>();
            List<String> hosts = null;
            String name = null;
            boolean hostsSeen = false;
            for (NodeTuple t : YamlReader.entries(file, map)) {
                String key = YamlReader.keyText(file, t.getKeyNode());
                Position vpos = pos(file, t.getValueNode());
                if (!Keywords.PLAY.contains(key)) {
                    String hint = Suggest.hint(key, Keywords.PLAY);
                    if (hint.isEmpty() && !sections.containsKey("tasks")) hint = " (tasks go under 'tasks:')";
                    throw new UserError(pos(file, t.getKeyNode()), "'" + key + "' is not a play keyword" + hint);
                }
                switch (key) {
                    case "hosts" -> {
                        hostsSeen = true;
                        hosts = hostsPattern(file, t.getValueNode());
                    }
                    case "name" -> name = scalarText(file, t.getValueNode(), "'name'");
                    case "pre_tasks", "roles", "tasks", "post_tasks", "handlers" -> sections.put(key, t);
                    default -> {
                        Object v = YamlReader.toJava(file, vault, t.getValueNode());
                        KeywordTypes.check(key, v, vpos);
                        kw.put(key, v);
                    }
                }
            }
            if (!hostsSeen) {
                throw new UserError(pos(file, map), "the play has no 'hosts:' (every play needs a host pattern)");
            }
            List<String> collections = Tags.of(kw.get("collections"));
            PlayState ps = new PlayState(collections, playVars(kw.get("vars")));
            Ctx ctx = new Ctx(file.getParent(), file, null, ps, false, new ArrayDeque<>(), List.of(), collections);
            List<TaskItem> pre = taskList(file, sections.get("pre_tasks"), ctx);
            List<TaskItem> roles = roles(file, sections.get("roles"), ctx);
            List<TaskItem> tasks = taskList(file, sections.get("tasks"), ctx);
            List<TaskItem> post = taskList(file, sections.get("post_tasks"), ctx);
            List<TaskItem> handlers = new ArrayList<>();
            List<TaskItem> own = taskList(file, sections.get("handlers"), ctx.asHandlers());
            handlers.addAll(ps.roleHandlers);
            handlers.addAll(own);
            String joined = String.join(",", hosts);
            String shown = name != null && !name.isEmpty() ? name : joined;
            return new Play(shown, joined, hosts, pos(file, map), kw, pre, roles, tasks, post, handlers, List.of(),
                    file.getParent());
        }

        List<String> hostsPattern(Path file, Node node) {
            Object v = YamlReader.toJava(file, vault, node);
            if (v instanceof List<?> list) {
                if (list.isEmpty()) throw new UserError(pos(file, node), "'hosts' is an empty list: expected host patterns");
                List<String> parts = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof String || o instanceof Number)) {
                        throw UserError.expected(pos(file, node), "'hosts'", "host patterns (strings)", o);
                    }
                    parts.add(String.valueOf(o));
                }
                return parts;
            }
            if (v instanceof String s && !s.isBlank()) return List.of(s);
            if (v instanceof Number n) return List.of(n.toString());
            throw UserError.expected(pos(file, node), "'hosts'", "a host pattern or a list of them", v);
        }

        // ----- task lists, blocks, tasks -----

        List<TaskItem> taskList(Path file, NodeTuple section, Ctx ctx) {
            if (section == null) return List.of();
            String what = "'" + YamlReader.keyText(file, section.getKeyNode()) + "'";
            return taskListNode(file, section.getValueNode(), ctx, what);
        }

        List<TaskItem> taskListNode(Path file, Node node, Ctx ctx, String what) {
            if (node == null || isNull(node)) return List.of();
            if (!(node instanceof SequenceNode seq)) {
                throw UserError.expected(pos(file, node), what, "a list of tasks", describeNode(file, node));
            }
            List<TaskItem> out = new ArrayList<>();
            for (Node item : seq.getValue()) out.add(item(file, item, ctx));
            return out;
        }

        TaskItem item(Path file, Node node, Ctx ctx) {
            if (!(node instanceof MappingNode map)) {
                throw UserError.expected(pos(file, node), "task", "a mapping such as '- name: ...' with a module",
                        describeNode(file, node));
            }
            if (hasKey(file, map, "block")) return block(file, map, ctx);
            return task(file, map, ctx);
        }

        Block block(Path file, MappingNode map, Ctx outer) {
            Ctx ctx = outer;
            for (NodeTuple t : map.getValue()) {
                // the block's collections apply to the tasks inside, wherever the key is written
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("collections")) {
                    ctx = outer.withCollections(Tags.of(describeNode(file, t.getValueNode())));
                }
            }
            Map<String, Object> kw = new LinkedHashMap<>();
            List<TaskItem> block = List.of();
            List<TaskItem> rescue = List.of();
            List<TaskItem> always = List.of();
            for (NodeTuple t : YamlReader.entries(file, map)) {
                String key = YamlReader.keyText(file, t.getKeyNode());
                switch (key) {
                    case "block" -> block = taskListNode(file, t.getValueNode(), ctx, "'block'");
                    case "rescue" -> rescue = taskListNode(file, t.getValueNode(), ctx, "'rescue'");
                    case "always" -> always = taskListNode(file, t.getValueNode(), ctx, "'always'");
                    default -> {
                        if (!Keywords.BLOCK.contains(key)) {
                            throw unknownKey(pos(file, t.getKeyNode()), key, "block", Keywords.BLOCK);
                        }
                        Object v = YamlReader.toJava(file, vault, t.getValueNode());
                        KeywordTypes.check(key, v, pos(file, t.getValueNode()));
                        kw.put(key, v);
                    }
                }
            }
            return new Block(block, rescue, always, kw, pos(file, map), ctx.role(), false);
        }

        TaskItem task(Path file, MappingNode map, Ctx ctx) {
            Map<String, Object> kw = new LinkedHashMap<>();
            String name = null;
            NodeTuple actionTuple = null;
            Object extraArgs = null;
            Position extraArgsPos = null;
            List<NodeTuple> candidates = new ArrayList<>();
            for (NodeTuple t : YamlReader.entries(file, map)) {
                String key = YamlReader.keyText(file, t.getKeyNode());
                Position vpos = pos(file, t.getValueNode());
                if (key.equals("name")) {
                    name = scalarText(file, t.getValueNode(), "'name'");
                } else if (key.equals("action") || key.equals("local_action")) {
                    if (actionTuple != null) {
                        throw new UserError(pos(file, t.getKeyNode()), "'action' and 'local_action' cannot both be"
                                + " used in one task");
                    }
                    actionTuple = t;
                } else if (key.equals("args")) {
                    extraArgs = YamlReader.toJava(file, vault, t.getValueNode());
                    extraArgsPos = vpos;
                    KeywordTypes.check(key, extraArgs, vpos);
                } else if (key.startsWith("with_")) {
                    String lookup = key.substring(5);
                    if (!Keywords.WITH_LOOKUPS.contains(lookup) && !lookup.contains(".")) {
                        throw new UserError(pos(file, t.getKeyNode()), "unknown loop '" + key + "'"
                                + Suggest.hint(key, Keywords.WITH_LOOKUPS.stream().map(l -> "with_" + l).toList()));
                    }
                    kw.put(key, YamlReader.toJava(file, vault, t.getValueNode()));
                } else if (Keywords.isTaskKeyword(key, ctx.handlers())) {
                    Object v = YamlReader.toJava(file, vault, t.getValueNode());
                    KeywordTypes.check(key, v, vpos);
                    kw.put(key, v);
                } else {
                    candidates.add(t);
                }
            }
            for (String loopKey : kw.keySet()) {
                if ((loopKey.equals("loop") || loopKey.startsWith("with_"))
                        && kw.keySet().stream().anyMatch(k -> !k.equals(loopKey) && (k.equals("loop") || k.startsWith("with_")))) {
                    throw new UserError(pos(file, map), "a task can have only one loop; found "
                            + kw.keySet().stream().filter(k -> k.equals("loop") || k.startsWith("with_")).toList());
                }
            }

            // Which key is the module? Exactly one non-keyword key, or action/local_action.
            TaskPlace place = ctx.place(kw.get("collections"));
            Map<NodeTuple, ResolvedAction> resolved = new LinkedHashMap<>();
            for (NodeTuple t : candidates) resolved.put(t, modules.resolve(YamlReader.keyText(file, t.getKeyNode()), place));
            NodeTuple moduleTuple = chooseModule(file, map, candidates, resolved, actionTuple, ctx.handlers());
            String written;
            ResolvedAction found;
            Map<String, Object> args = new LinkedHashMap<>();
            if (extraArgs instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) args.put(String.valueOf(e.getKey()), e.getValue());
            } else if (extraArgs instanceof String s) {
                args.put("_variable_params", s); // "args: '{{ some_dict }}'", expanded at run time
            }
            Position modPos;
            if (moduleTuple == actionTuple) {
                modPos = pos(file, actionTuple.getValueNode());
                Object v = YamlReader.toJava(file, vault, actionTuple.getValueNode());
                if (v instanceof Map<?, ?> m) {
                    Object module = m.get("module");
                    if (!(module instanceof String ms)) {
                        throw UserError.expected(modPos, "'" + YamlReader.keyText(file, actionTuple.getKeyNode()) + "'",
                                "a 'module:' key naming the module", v);
                    }
                    written = ms;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!"module".equals(e.getKey())) args.put(String.valueOf(e.getKey()), e.getValue());
                    }
                    found = modules.resolve(written, place);
                } else if (v instanceof String s && !s.isBlank()) {
                    List<String> words = split(s, modPos);
                    written = words.get(0);
                    found = modules.resolve(written, place);
                    String rest = KvParser.joinWords(words.subList(1, words.size()));
                    args.putAll(kv(rest, found.action(), modPos));
                } else {
                    throw UserError.expected(modPos, "'action'", "a module name followed by its arguments", v);
                }
                if (YamlReader.keyText(file, actionTuple.getKeyNode()).equals("local_action")) {
                    if (kw.containsKey("delegate_to")) {
                        throw new UserError(pos(file, actionTuple.getKeyNode()),
                                "'local_action' and 'delegate_to' cannot both be used in one task");
                    }
                    kw.put("delegate_to", "localhost");
                }
            } else {
                written = YamlReader.keyText(file, moduleTuple.getKeyNode());
                found = resolved.get(moduleTuple);
                modPos = pos(file, moduleTuple.getValueNode());
                Object v = YamlReader.toJava(file, vault, moduleTuple.getValueNode());
                String action = found.action();
                if (v instanceof Map<?, ?> m) {
                    for (Map.Entry<?, ?> e : m.entrySet()) args.put(String.valueOf(e.getKey()), e.getValue());
                } else if (v instanceof String s) {
                    args.putAll(kv(s, action, modPos));
                } else if (v instanceof Number || v instanceof Boolean) {
                    args.putAll(kv(String.valueOf(v), action, modPos));
                } else if (v != null) {
                    throw UserError.expected(modPos, "arguments of '" + written + "'",
                            "a mapping or a 'key=value' string", v);
                }
            }
            String action = found.action();
            Object raw = args.get("_raw_params");
            if (raw instanceof String rs && !rs.isEmpty() && !Keywords.RAW_PARAM_ACTIONS.contains(action)) {
                if (rs.contains("{{")) {
                    args.remove("_raw_params");
                    args.put("_variable_params", rs);
                } else {
                    throw new UserError(modPos, "module '" + written + "' takes key=value arguments, found the"
                            + " free-form text '" + rs + "' (only " + String.join(", ", new java.util.TreeSet<>(Keywords.FREE_FORM))
                            + " and the include/import actions take free-form text)");
                }
            }
            Position tpos = pos(file, map);
            Task task = new Task(name, found, written, args, kw, tpos, ctx.role());
            // a role used twice is read twice: report each written task once
            if (found instanceof ResolvedAction.NotFound && unknown.stream().noneMatch(u -> u.pos().equals(tpos))) {
                unknown.add(task);
            }
            if (action.equals("include_tasks") || action.equals("include_role")) checkIncludeArgs(task);
            return switch (action) {
                case "import_tasks" -> importTasks(task, ctx);
                case "import_role" -> importRole(task, ctx);
                case "include" -> legacyInclude(task, ctx);
                default -> task;
            };
        }

        NodeTuple chooseModule(Path file, MappingNode map, List<NodeTuple> candidates,
                Map<NodeTuple, ResolvedAction> resolved, NodeTuple actionTuple, boolean handlers) {
            Set<String> keywords = handlers ? Keywords.HANDLER : Keywords.TASK;
            List<NodeTuple> known = candidates.stream()
                    .filter(t -> !(resolved.get(t) instanceof ResolvedAction.NotFound)).toList();
            List<NodeTuple> all = new ArrayList<>(candidates);
            if (actionTuple != null) all.add(0, actionTuple);
            if (known.size() + (actionTuple == null ? 0 : 1) > 1) {
                List<String> names = new ArrayList<>();
                if (actionTuple != null) names.add(YamlReader.keyText(file, actionTuple.getKeyNode()));
                known.forEach(t -> names.add(YamlReader.keyText(file, t.getKeyNode())));
                NodeTuple second = actionTuple != null ? known.get(0) : known.get(1);
                throw new UserError(pos(file, second.getKeyNode()), "a task can run only one module: found "
                        + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(" and ")));
            }
            NodeTuple module = actionTuple != null ? actionTuple : known.isEmpty() ? null : known.get(0);
            for (NodeTuple t : candidates) {
                if (t == module) continue;
                String key = YamlReader.keyText(file, t.getKeyNode());
                String hint = Suggest.hint(key, keywords);
                if (module != null || !hint.isEmpty()) {
                    // with a module already found, any other key must have been meant as a keyword
                    throw new UserError(pos(file, t.getKeyNode()), "'" + key + "' is not a task keyword" + hint);
                }
            }
            if (module != null) return module;
            if (candidates.isEmpty()) {
                throw new UserError(pos(file, map), "the task has no module (expected a key such as 'command:' or"
                        + " 'ansible.builtin.debug:' besides keywords like name/when/register)");
            }
            if (candidates.size() > 1) {
                throw new UserError(pos(file, candidates.get(1).getKeyNode()), "a task can run only one module: found "
                        + candidates.stream().map(t -> "'" + YamlReader.keyText(file, t.getKeyNode()) + "'")
                                .collect(Collectors.joining(" and ")) + " (neither is a task keyword)");
            }
            return candidates.get(0); // an unknown module: recorded, reported by listing and run
        }

        Map<String, Object> kv(String text, String action, Position at) {
            if (Keywords.STATIC_IMPORTS.contains(action) || Keywords.DYNAMIC_INCLUDES.contains(action)) {
                // "include_tasks: file.yml" or "import_role: name=x"
                return parseKv(text, false, at);
            }
            return parseKv(text, Keywords.FREE_FORM.contains(action), at);
        }

        Map<String, Object> parseKv(String text, boolean checkRaw, Position at) {
            try {
                return KvParser.parse(text, checkRaw);
            } catch (KvParser.SplitException e) {
                throw new UserError(at, e.getMessage());
            }
        }

        List<String> split(String text, Position at) {
            try {
                return KvParser.split(text);
            } catch (KvParser.SplitException e) {
                throw new UserError(at, e.getMessage());
            }
        }

        // ----- static imports -----

        Block importTasks(Task t, Ctx ctx) {
            refuseLoop(t, "import_tasks");
            Object file = t.args().containsKey("file") ? t.args().get("file") : t.args().get("_raw_params");
            if (!(file instanceof String f) || f.isBlank()) {
                throw UserError.expected(t.pos(), "'import_tasks'", "the name of a tasks file", file);
            }
            f = LoadTimeNames.render(f, v -> loadTimeVariable(v, ctx.role(), ctx.play()), t.pos(), "import_tasks");
            Path path = findTaskFile(f, ctx.role(), ctx.file() == null ? null : ctx.file().getParent(), ctx.baseDir(),
                    t.pos());
            if (ctx.stack().contains(path)) throw new UserError(t.pos(), "import cycle: " + chain(ctx.stack(), path));
            List<TaskItem> items = taskFile(path, ctx);
            return new Block(items, List.of(), List.of(), t.keywords(), t.pos(), ctx.role(), true);
        }

        /**
         * The legacy {@code include:} (deprecated, still in 2.14) is static when it can be: a fixed file name
         * and no loop. Otherwise it stays a dynamic include for the executor.
         */
        TaskItem legacyInclude(Task t, Ctx ctx) {
            Object file = t.args().get("_raw_params");
            boolean loops = t.keywords().keySet().stream().anyMatch(k -> k.equals("loop") || k.startsWith("with_"));
            if (loops || !(file instanceof String f) || f.contains("{{")) return t;
            return importTasks(t, ctx);
        }

        Block importRole(Task t, Ctx ctx) {
            refuseLoop(t, "import_role");
            Map<String, Object> a = t.args();
            Object name = a.containsKey("name") ? a.get("name") : a.get("role");
            if (!(name instanceof String n) || n.isBlank()) {
                throw UserError.expected(t.pos(), "'import_role'", "'name:' of a role", name);
            }
            for (String k : a.keySet()) {
                if (!Set.of("name", "role", "tasks_from", "vars_from", "defaults_from", "handlers_from",
                        "allow_duplicates", "public", "rolespec_validate").contains(k)) {
                    throw new UserError(t.pos(), "'" + k + "' is not an option of import_role"
                            + Suggest.hint(k, List.of("name", "tasks_from", "vars_from", "defaults_from", "handlers_from",
                                    "allow_duplicates", "public", "rolespec_validate")));
                }
            }
            Path parentRoleDir = ctx.role() == null ? null : ctx.role().path().getParent();
            LoadedRole loaded = role(n, Map.of(), str(a.get("tasks_from")), str(a.get("vars_from")),
                    str(a.get("defaults_from")), str(a.get("handlers_from")), t.pos(), ctx, parentRoleDir,
                    new ArrayDeque<>(), false);
            ctx.play().roleHandlers.addAll(loaded.handlers());
            return new Block(loaded.tasks(), List.of(), List.of(), t.keywords(), t.pos(), loaded.ref(), true);
        }

        /** include_tasks/include_role run later, but their options can be checked now, as Ansible does. */
        void checkIncludeArgs(Task t) {
            boolean role = t.action().equals("include_role");
            List<String> valid = role
                    ? List.of("name", "role", "tasks_from", "vars_from", "defaults_from", "handlers_from",
                            "allow_duplicates", "apply", "public", "rolespec_validate")
                    : List.of("file", "_raw_params", "apply");
            for (String k : t.args().keySet()) {
                if (k.equals("_variable_params")) continue;
                if (!valid.contains(k) || (role && k.equals("_raw_params"))) {
                    throw new UserError(t.pos(), "'" + k + "' is not an option of " + t.action()
                            + Suggest.hint(k, valid.stream().filter(v -> !v.startsWith("_")).toList()));
                }
            }
            if (role && !t.args().containsKey("name") && !t.args().containsKey("role")) {
                throw new UserError(t.pos(), "include_role needs 'name:' (the role to include)");
            }
            if (!role && !t.args().containsKey("file") && !t.args().containsKey("_raw_params")
                    && !t.args().containsKey("_variable_params")) {
                throw new UserError(t.pos(), "include_tasks needs the name of a tasks file");
            }
            if (t.args().containsKey("apply") && !(t.args().get("apply") instanceof Map<?, ?>)) {
                throw UserError.expected(t.pos(), "'apply'", "a mapping of keywords", t.args().get("apply"));
            }
        }

        void refuseLoop(Task t, String what) {
            for (String k : t.keywords().keySet()) {
                if (k.equals("loop") || k.startsWith("with_")) {
                    throw new UserError(t.pos(), "'" + k + "' cannot be used on '" + what + "' (imports happen"
                            + " before the run, once); use '" + what.replace("import", "include") + "' to loop");
                }
            }
        }

        List<TaskItem> taskFile(Path path, Ctx ctx) {
            if (ctx.stack().contains(path)) {
                throw new UserError(Position.file(path), "import cycle: " + chain(ctx.stack(), path));
            }
            ctx.stack().push(path);
            try {
                YamlReader.Document doc = YamlReader.parse(path, vault);
                if (doc.root() == null) return List.of();
                return taskListNode(path, doc.root(), ctx.inFile(path), "tasks file");
            } finally {
                ctx.stack().pop();
            }
        }

        // ----- roles -----

        List<TaskItem> roles(Path file, NodeTuple section, Ctx ctx) {
            if (section == null || isNull(section.getValueNode())) return List.of();
            if (!(section.getValueNode() instanceof SequenceNode seq)) {
                throw UserError.expected(pos(file, section.getValueNode()), "'roles'", "a list of roles",
                        describeNode(file, section.getValueNode()));
            }
            List<TaskItem> out = new ArrayList<>();
            for (Node entry : seq.getValue()) {
                RoleUse use = roleEntry(file, entry, ctx, null, new ArrayDeque<>());
                ctx.play().roleHandlers.addAll(use.handlers());
                out.add(use.block());
            }
            return out;
        }

        /** A {@code roles:} entry or a meta dependency: an implicit block carrying the entry's keywords. */
        RoleUse roleEntry(Path file, Node entry, Ctx ctx, Path parentRoleDir, Deque<Path> roleStack) {
            String name;
            Map<String, Object> params = new LinkedHashMap<>();
            Map<String, Object> kw = new LinkedHashMap<>();
            Position epos = pos(file, entry);
            if (entry instanceof ScalarNode) {
                name = scalarText(file, entry, "role");
            } else if (entry instanceof MappingNode map) {
                name = null;
                for (NodeTuple t : YamlReader.entries(file, map)) {
                    String key = YamlReader.keyText(file, t.getKeyNode());
                    Object v = YamlReader.toJava(file, vault, t.getValueNode());
                    if (key.equals("role") || key.equals("name")) {
                        if (!(v instanceof String s) || s.isBlank()) {
                            throw UserError.expected(pos(file, t.getValueNode()), "'" + key + "'", "a role name", v);
                        }
                        if (name != null) {
                            throw new UserError(pos(file, t.getKeyNode()), "the role is named twice ('role' and 'name')");
                        }
                        name = s;
                    } else if (Keywords.ROLE_ENTRY.contains(key)) {
                        KeywordTypes.check(key, v, pos(file, t.getValueNode()));
                        kw.put(key, v);
                    } else {
                        params.put(key, v);
                    }
                }
                if (name == null) {
                    throw new UserError(epos, "the role entry has no 'role:' (or 'name:') naming the role");
                }
            } else {
                throw UserError.expected(epos, "role", "a role name or a mapping with 'role:'",
                        describeNode(file, entry));
            }
            LoadedRole loaded = role(name, params, null, null, null, null, epos, ctx, parentRoleDir, roleStack, false);
            return new RoleUse(new Block(loaded.tasks(), List.of(), List.of(), kw, epos, loaded.ref(), true),
                    loaded.handlers());
        }

        /**
         * Resolves and reads a role, its dependencies (recursively), tasks and handlers.
         *
         * @param dynamic true for include_role: no per-play dedup marking
         */
        @SuppressWarnings("unchecked")
        LoadedRole role(String name, Map<String, Object> params, String tasksFrom,
                String varsFrom, String defaultsFrom, String handlersFrom, Position at, Ctx ctx, Path parentRoleDir,
                Deque<Path> roleStack, boolean dynamic) {
            name = LoadTimeNames.render(name, v -> loadTimeVariable(v, null, ctx.play()), at, "role");
            RoleLocation loc = findRole(name, at, ctx, parentRoleDir);
            Path dir = loc.path();
            if (roleStack.contains(dir)) {
                throw new UserError(at, "role dependency cycle: " + roleStack.stream().map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(" -> ")) + " -> " + name);
            }
            roleStack.push(dir);
            Ctx inside = ctx.enteringRole(dir);
            try {
                Map<String, Object> defaults = roleVars(dir.resolve("defaults"), defaultsFrom, at);
                Map<String, Object> vars = roleVars(dir.resolve("vars"), varsFrom, at);
                Path metaFile = findMain(dir.resolve("meta"), "main");
                boolean allowDuplicates = false;
                List<RoleUse> depUses = new ArrayList<>();
                if (metaFile != null) {
                    YamlReader.Document doc = YamlReader.parse(metaFile, vault);
                    if (doc.root() instanceof MappingNode meta) {
                        for (NodeTuple t : YamlReader.entries(metaFile, meta)) {
                            String key = YamlReader.keyText(metaFile, t.getKeyNode());
                            if (key.equals("allow_duplicates")) {
                                Object v = YamlReader.toJava(metaFile, vault, t.getValueNode());
                                if (!(v instanceof Boolean)) {
                                    throw UserError.expected(pos(metaFile, t.getValueNode()), "'allow_duplicates'",
                                            "true or false", v);
                                }
                                allowDuplicates = (Boolean) v;
                            } else if (key.equals("dependencies")) {
                                Node deps = t.getValueNode();
                                if (isNull(deps)) continue;
                                if (!(deps instanceof SequenceNode ds)) {
                                    throw UserError.expected(pos(metaFile, deps), "'dependencies'", "a list of roles",
                                            describeNode(metaFile, deps));
                                }
                                for (Node d : ds.getValue()) {
                                    depUses.add(roleEntry(metaFile, d, inside, dir.getParent(), roleStack));
                                }
                            }
                        }
                    } else if (doc.root() != null && !isNull(doc.root())) {
                        throw UserError.expected(pos(metaFile, doc.root()), "role meta", "a mapping",
                                describeNode(metaFile, doc.root()));
                    }
                }
                List<RoleRef> deps = depUses.stream().map(u -> u.block().role()).toList();
                RoleRef ref = new RoleRef(loc.name(), dir, params, defaults, vars, deps, allowDuplicates, false, at);
                if (!dynamic) {
                    boolean seen = ctx.play().used.stream().anyMatch(r -> r.sameUseAs(ref));
                    ctx.play().used.add(ref);
                    if (seen && !allowDuplicates) return reload(ref.markDuplicate(), depUses, tasksFrom, handlersFrom, at, inside);
                }
                return reload(ref, depUses, tasksFrom, handlersFrom, at, inside);
            } finally {
                roleStack.pop();
            }
        }

        /** The role's tasks (dependencies first) and handlers (dependencies' first). */
        LoadedRole reload(RoleRef ref, List<RoleUse> depUses, String tasksFrom, String handlersFrom, Position at,
                Ctx ctx) {
            List<TaskItem> tasks = new ArrayList<>();
            List<TaskItem> handlers = new ArrayList<>();
            for (RoleUse u : depUses) {
                tasks.add(u.block());
                handlers.addAll(u.handlers());
            }
            Path tasksFile = roleFile(ref, "tasks", tasksFrom, at);
            List<String> collections = roleCollections(ref.path());
            Task validation = argumentSpecTask(ref, tasksFrom == null ? "main" : tasksFrom, ctx, collections);
            if (validation != null) tasks.add(validation);
            if (tasksFile != null) tasks.addAll(taskFile(tasksFile, ctx.asTasks().inRole(ref, tasksFile, collections)));
            Path handlersFile = roleFile(ref, "handlers", handlersFrom, at);
            // a role that runs once per play brings its handlers once
            if (handlersFile != null && !ref.duplicate()) {
                handlers.addAll(taskFile(handlersFile, ctx.asHandlers().inRole(ref, handlersFile, collections)));
            }
            return new LoadedRole(ref, tasks, handlers);
        }

        /**
         * Ansible puts a {@code validate_argument_spec} task, tagged always, before a role's tasks when the role
         * declares an argument spec for the entry point ({@code meta/argument_specs.yml}, else the
         * {@code argument_specs} key of {@code meta/main.yml}). The executor runs it to check role params.
         */
        @SuppressWarnings("unchecked")
        Task argumentSpecTask(RoleRef ref, String entrypoint, Ctx ctx, List<String> collections) {
            Path specFile = findMain(ref.path().resolve("meta"), "argument_specs");
            if (specFile == null) specFile = findMain(ref.path().resolve("meta"), "main");
            if (specFile == null) return null;
            Object doc = YamlReader.load(specFile, vault);
            if (!(doc instanceof Map<?, ?> m) || !(m.get("argument_specs") instanceof Map<?, ?> specs)) return null;
            if (!(specs.get(entrypoint) instanceof Map<?, ?> spec)) return null;
            String name = "Validating arguments against arg spec '" + entrypoint + "'";
            if (spec.containsKey("short_description")) name += " - " + spec.get("short_description");
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("argument_spec", spec.get("options") == null ? Map.of() : spec.get("options"));
            args.put("provided_arguments", ref.params());
            args.put("validate_args_context", Map.of("type", "role", "name", ref.name(),
                    "argument_spec_name", entrypoint, "path", ref.path().toString()));
            String written = "ansible.builtin.validate_argument_spec";
            TaskPlace place = ctx.inRole(ref, specFile, collections).place(null);
            return new Task(name, modules.resolve(written, place), written, args, Map.of("tags", List.of("always")),
                    Position.file(specFile), ref);
        }

        /**
         * The collections a role's tasks search for modules, as Ansible sets them: a collection role's own
         * collection, then its {@code meta/main.yml} {@code collections}; with {@code ansible.builtin} (collection
         * roles) or {@code ansible.legacy} appended when neither is listed. Roles do not inherit the play's.
         */
        List<String> roleCollections(Path roleDir) {
            List<String> out = new ArrayList<>();
            String own = collectionOf(roleDir);
            if (own != null) out.add(own);
            Path metaFile = findMain(roleDir.resolve("meta"), "main");
            Object meta = metaFile == null ? null : YamlReader.load(metaFile, vault);
            if (meta instanceof Map<?, ?> m && m.get("collections") != null) {
                for (String c : Tags.of(m.get("collections"))) {
                    if (!out.contains(c)) out.add(c);
                }
            }
            if (!out.isEmpty() && !out.contains("ansible.builtin") && !out.contains("ansible.legacy")) {
                out.add(own != null ? "ansible.builtin" : "ansible.legacy");
            }
            return out;
        }

        /** {@code <role>/<sub>/main.yml} (optional) or the named {@code *_from} file (required). */
        Path roleFile(RoleRef ref, String sub, String from, Position at) {
            Path dir = ref.path().resolve(sub);
            if (from == null) return findMain(dir, "main");
            Path found = findMain(dir, from);
            if (found == null) {
                throw new UserError(at, "role '" + ref.name() + "' has no " + sub + " file '" + from + "' (looked for "
                        + show(dir.resolve(from)) + " with .yml/.yaml/.json)");
            }
            return found;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> roleVars(Path dir, String from, Position at) {
            String base = from == null ? "main" : from;
            Map<String, Object> out = new LinkedHashMap<>();
            Path asDir = dir.resolve(base);
            if (Files.isDirectory(asDir)) {
                // defaults/main/ as a directory: every file, sorted, later files override earlier keys
                try (Stream<Path> files = Files.walk(asDir)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String n = f.getFileName().toString();
                        if (n.startsWith(".")) continue;
                        if (!(n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json") || !n.contains("."))) continue;
                        out.putAll(readVarsFile(f));
                    }
                } catch (IOException e) {
                    throw new UserError(Position.file(asDir), "cannot read directory: " + e.getMessage());
                }
                return out;
            }
            Path file = findMain(dir, base);
            if (file == null) {
                if (from != null) {
                    throw new UserError(at, "no file '" + from + "' in " + show(dir));
                }
                return out;
            }
            out.putAll(readVarsFile(file));
            return out;
        }

        /** Where a role is: Ansible's search (collections, roles/ beside the playbook, roles path, dir). */
        RoleLocation findRole(String name, Position at, Ctx ctx, Path parentRoleDir) {
            List<String> searched = new ArrayList<>();
            String[] parts = name.split("\\.");
            // ns.coll.role, or ns.coll.sub.dirs.role for roles nested in a collection's roles/ directory
            boolean fqcn = parts.length >= 3 && !name.contains("/");
            List<String> collections = new ArrayList<>();
            if (fqcn) {
                collections.add(parts[0] + "." + parts[1]);
            } else {
                // inside a collection's role, short role names look in that collection first (as in Ansible)
                for (Path inside : java.util.Arrays.asList(ctx.role() == null ? null : ctx.role().path(), parentRoleDir)) {
                    String c = collectionOf(inside);
                    if (c != null && !collections.contains(c)) collections.add(c);
                }
                collections.addAll(ctx.play().collections);
            }
            String roleName = fqcn ? String.join("/", java.util.Arrays.asList(parts).subList(2, parts.length)) : name;
            for (String coll : collections) {
                String[] nc = coll.split("\\.");
                if (nc.length != 2) continue;
                for (Path root : collectionRoots(ctx.baseDir())) {
                    Path p = root.resolve("ansible_collections").resolve(nc[0]).resolve(nc[1]).resolve("roles")
                            .resolve(roleName);
                    searched.add(show(p.getParent()));
                    // Ansible names a nested role by its collection and its last part: ns.coll.sub.x shows as ns.coll.x
                    if (Files.isDirectory(p)) return new RoleLocation(coll + "." + p.getFileName(), p);
                }
            }
            if (!fqcn) {
                List<Path> dirs = new ArrayList<>();
                dirs.add(ctx.baseDir().resolve("roles"));
                dirs.addAll(rolesPath);
                if (parentRoleDir != null) dirs.add(parentRoleDir);
                dirs.add(ctx.baseDir());
                for (Path d : dirs) {
                    Path p = d.resolve(name).normalize();
                    searched.add(show(d));
                    if (Files.isDirectory(p)) return new RoleLocation(p.getFileName().toString(), p);
                }
                Path asPath = Path.of(name);
                if (name.contains("/") && Files.isDirectory(asPath)) {
                    return new RoleLocation(asPath.getFileName().toString(), asPath.toAbsolutePath().normalize());
                }
            }
            throw new UserError(at, "role '" + name + "' not found; searched: "
                    + String.join(", ", new LinkedHashSet<>(searched)));
        }

        List<Path> collectionRoots(Path baseDir) {
            List<Path> roots = new ArrayList<>();
            roots.add(baseDir.resolve("collections")); // collections/ beside the playbook, as Ansible does
            roots.add(baseDir);
            roots.addAll(collectionsPaths);
            return roots;
        }
    }

    // ---------------------------------------------------------------------------------------------

    Path findTaskFile(String file, RoleRef role, Path includingDir, Path baseDir, Position at) {
        List<Path> candidates = new ArrayList<>();
        Path given = Path.of(file);
        if (given.isAbsolute()) {
            candidates.add(given);
        } else {
            if (role != null) {
                candidates.add(role.tasksDir().resolve(file));
                candidates.add(role.path().resolve(file));
            }
            if (includingDir != null) candidates.add(includingDir.resolve(file));
            if (baseDir != null) candidates.add(baseDir.resolve(file));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) return c.toAbsolutePath().normalize();
        }
        throw new UserError(at, "tasks file '" + file + "' not found; looked for "
                + candidates.stream().map(PlaybookLoader::show).distinct().collect(Collectors.joining(", ")));
    }

    /** "ns.coll" when {@code path} lies in {@code .../ansible_collections/ns/coll/}, else null. */
    static String collectionOf(Path path) {
        if (path == null) return null;
        Path abs = path.toAbsolutePath().normalize();
        for (int i = 0; i + 2 < abs.getNameCount(); i++) {
            if (abs.getName(i).toString().equals("ansible_collections")) {
                return abs.getName(i + 1) + "." + abs.getName(i + 2);
            }
        }
        return null;
    }

    /** {@code dir/name} with the extensions Ansible tries: none, .yml, .yaml, .json. */
    static Path findMain(Path dir, String name) {
        for (String ext : YAML_EXTENSIONS) {
            Path p = dir.resolve(name + ext);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> playVars(Object vars) {
        if (vars instanceof Map<?, ?> m) return (Map<String, Object>) m;
        Map<String, Object> out = new LinkedHashMap<>();
        if (vars instanceof List<?> list) {
            for (Object o : list) out.putAll((Map<String, Object>) o);
        }
        return out;
    }

    private static List<Object> conditions(Object when) {
        if (when == null) return List.of();
        if (when instanceof List<?> l) return new ArrayList<>(l);
        return List.of(when);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String chain(Deque<Path> stack, Path again) {
        List<String> names = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(p -> names.add(p.getFileName().toString()));
        names.add(again.getFileName().toString());
        return String.join(" -> ", names);
    }

    /** A path as people want to read it: relative to the working directory when below it (like positions). */
    static String show(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static Position pos(Path file, Node node) {
        return YamlReader.position(file, node);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    private static Object describeNode(Path file, Node node) {
        return YamlReader.toJava(file, node);
    }

    private static boolean hasKey(Path file, MappingNode map, String... keys) {
        Set<String> wanted = Set.of(keys);
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && wanted.contains(s.getValue())) return true;
        }
        return false;
    }

    private static String scalarText(Path file, Node node, String what) {
        if (node instanceof ScalarNode s) {
            if (isNull(s)) return null;
            return s.getValue();
        }
        throw UserError.expected(pos(file, node), what, "a single value", describeNode(file, node));
    }

    private static UserError unknownKey(Position at, String key, String where, Set<String> valid) {
        return new UserError(at, "'" + key + "' is not a valid keyword for " + where + Suggest.hint(key, valid));
    }
}
