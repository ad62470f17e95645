package dev.drover.inventory;

import dev.drover.error.Position;
import dev.drover.error.Suggest;
import dev.drover.error.UserError;
import dev.drover.yaml.VaultKeys;
import dev.drover.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads inventories the way {@code ansible -i} does: INI files, YAML files, directories of them, and inline
 * host lists ({@code h1,h2,}); several sources merge in order. Unlike Ansible, which only warns and goes on
 * with an empty inventory, a source that is missing or cannot be parsed is an error with its position.
 */
public final class InventoryLoader {
    /** Ansible's INVENTORY_IGNORE_EXTS: files in an inventory directory ending so are skipped. */
    static final List<String> IGNORED_EXTENSIONS = List.of(".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md",
            ".txt", ".rst", ".orig", ".ini", ".cfg", ".retry");
    private static final List<String> IGNORED_NAMES = List.of("host_vars", "group_vars", "vars_plugins");
    private static final List<String> YAML_EXTENSIONS = List.of(".yml", ".yaml", ".json");
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    private final Path workDir;
    private final VaultKeys vault;

    /** @param workDir the directory relative source paths are resolved against (the working directory) */
    public InventoryLoader(Path workDir) {
        this(workDir, VaultKeys.NONE);
    }

    /**
     * @param vault opens vaulted inventory files, group_vars and host_vars files, and inline {@code !vault}
     *     values when they are used
     */
    public InventoryLoader(Path workDir, VaultKeys vault) {
        this.workDir = workDir;
        this.vault = vault;
    }

    public InventoryLoader() {
        this(Path.of(""));
    }

    /** Loads and merges the sources in order; an empty list gives an inventory with only all and ungrouped. */
    public Inventory load(List<String> sources) {
        InventoryBuilder b = new InventoryBuilder();
        List<Path> varsDirs = new ArrayList<>();
        for (String source : sources) {
            Path p = workDir.resolve(source);
            if (source.contains(",") && !Files.exists(p)) {
                hostList(b, source);
                continue;
            }
            if (Files.isDirectory(p)) {
                directory(b, p);
                varsDirs.add(p);
            } else if (Files.isRegularFile(p)) {
                file(b, p);
                varsDirs.add(p.toAbsolutePath().getParent());
            } else {
                throw new UserError(Position.file(p), "inventory source: expected a file, a directory or a "
                        + "comma-separated host list (h1,h2,), found no such file");
            }
        }
        return b.build(varsDirs, new VarsFiles(vault));
    }

    private static void hostList(InventoryBuilder b, String list) {
        for (String item : list.split(",")) {
            String h = item.strip();
            if (h.isEmpty()) continue;
            Addresses.Address a = Addresses.parse(h);
            if (a != null && !a.host().contains("[")) {
                b.addHost(a.host(), InventoryBuilder.UNGROUPED, a.port(), null);
            } else {
                b.addHost(h, InventoryBuilder.UNGROUPED, null, null);
            }
        }
    }

    private void directory(InventoryBuilder b, Path dir) {
        for (Path p : VarsFiles.sortedEntries(dir)) {
            String name = p.getFileName().toString();
            if (ignored(name)) continue;
            if (Files.isDirectory(p)) directory(b, p);
            else if (Files.isRegularFile(p)) file(b, p);
        }
    }

    static boolean ignored(String name) {
        if (name.startsWith(".") || IGNORED_NAMES.contains(name)) return true;
        for (String ext : IGNORED_EXTENSIONS) {
            if (name.endsWith(ext)) return true;
        }
        return false;
    }

    /**
     * One file, tried like Ansible's plugin chain: YAML first when the name has no extension or a YAML one
     * (.yml, .yaml, .json) and the text is a YAML mapping; INI otherwise. An empty file is an empty inventory.
     * When neither fits, the error shown is the YAML one for YAML-named files and the INI one for the rest.
     */
    private void file(InventoryBuilder b, Path file) {
        String text = YamlReader.readText(file, vault);
        String ext = VarsFiles.extension(file.getFileName().toString());
        boolean yamlNamed = YAML_EXTENSIONS.contains(ext);
        // a .yml file whose text is plainly INI is parsed as INI, as Ansible's ini plugin would
        boolean yamlWanted = yamlNamed && !looksLikeIni(text);
        if (yamlNamed || ext.isEmpty()) {
            YamlReader.Document doc = null;
            try {
                doc = YamlReader.parse(file, text, vault);
            } catch (UserError e) {
                if (yamlWanted) throw e;
            }
            if (doc != null && doc.root() == null) return;
            if (doc != null && (doc.root() instanceof MappingNode || yamlWanted)) {
                new YamlInventory(b, doc).parse();
                return;
            }
        }
        new IniInventory(b, file).parse(text);
    }

    /** An INI inventory starts (after comments) with a [section] header: then a .yml name is a misnomer. */
    private static boolean looksLikeIni(String text) {
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            return SECTION.matcher(t).matches();
        }
        return false;
    }

    /** Ansible's INI inventory format. */
    private static final class IniInventory {
        private final InventoryBuilder b;
        private final Path file;

        IniInventory(InventoryBuilder b, Path file) {
            this.b = b;
            this.file = file;
        }

        private record Pending(String state, int line, int column, List<String> parents, List<Position> where) {}

        void parse(String text) {
            String group = InventoryBuilder.UNGROUPED;
            String state = "hosts";
            // groups named in [x:children] or [x:vars] before being defined: resolved when they are
            Map<String, Pending> pending = new LinkedHashMap<>();
            String[] lines = text.split("\\r?\\n|\\r", -1);
            for (int i = 0; i < lines.length; i++) {
                int lineNo = i + 1;
                String raw = lines[i];
                String line = raw.strip();
                int col = raw.indexOf(line.isEmpty() ? " " : line.substring(0, 1)) + 1;
                if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') continue;
                Matcher m = SECTION.matcher(line);
                if (m.matches()) {
                    group = m.group(1);
                    state = m.group(2) == null ? "hosts" : m.group(2);
                    if (!List.of("hosts", "children", "vars").contains(state)) {
                        throw new UserError(Position.of(file, lineNo, col + m.start(2)), "section [" + group + ":" + state
                                + "]: expected a section type 'children' or 'vars' (or none for hosts), found '" + state + "'");
                    }
                    if (!b.hasGroup(group)) {
                        if (state.equals("vars") && !pending.containsKey(group)) {
                            pending.put(group, new Pending("vars", lineNo, col, new ArrayList<>(), new ArrayList<>()));
                        }
                        b.addGroup(group);
                    }
                    if (pending.containsKey(group) && !state.equals("vars")) {
                        if (pending.get(group).state().equals("children")) addPendingChildren(group, pending);
                        else pending.remove(group);
                    }
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    throw new UserError(Position.of(file, lineNo, col), "expected a section header like [group], "
                            + "[group:vars] or [group:children] (no spaces inside), found '" + line + "'");
                }
                switch (state) {
                    case "hosts" -> hostLine(group, line, lineNo, col);
                    case "vars" -> varLine(group, line, lineNo, col);
                    default -> {
                        Matcher g = GROUP_NAME.matcher(line);
                        if (!g.matches()) {
                            throw new UserError(Position.of(file, lineNo, col), "[" + group
                                    + ":children]: expected a group name, found '" + line + "'");
                        }
                        String child = g.group(1);
                        Position where = Position.of(file, lineNo, col);
                        if (!b.hasGroup(child)) {
                            Pending p = pending.get(child);
                            if (p == null) {
                                p = new Pending("children", lineNo, col, new ArrayList<>(), new ArrayList<>());
                                pending.put(child, p);
                            }
                            p.parents().add(group);
                            p.where().add(where);
                        } else {
                            b.addChild(group, child, where);
                        }
                    }
                }
            }
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                Pending p = e.getValue();
                Position where = Position.of(file, p.line(), p.column());
                if (p.state().equals("vars")) {
                    throw new UserError(where, "section [" + e.getKey() + ":vars]: expected a group defined in this "
                            + "inventory, found undefined group '" + e.getKey() + "'");
                }
                throw new UserError(where, "section [" + p.parents().get(p.parents().size() - 1)
                        + ":children]: expected a group defined in this inventory, found undefined group '" + e.getKey() + "'");
            }
        }

        private void addPendingChildren(String group, Map<String, Pending> pending) {
            Pending p = pending.remove(group);
            for (int i = 0; i < p.parents().size(); i++) {
                String parent = p.parents().get(i);
                b.addChild(parent, group, p.where().get(i));
                Pending pp = pending.get(parent);
                if (pp != null && pp.state().equals("children")) addPendingChildren(parent, pending);
            }
        }

        private void hostLine(String group, String line, int lineNo, int col) {
            Position where = Position.of(file, lineNo, col);
            List<String> tokens;
            try {
                tokens = PyLiteral.shlexSplit(line);
            } catch (IllegalArgumentException e) {
                throw new UserError(where, "host line: expected closed quotes and escapes, found '" + line + "' ("
                        + e.getMessage() + ")");
            }
            if (tokens.isEmpty()) return;
            String pattern = tokens.get(0);
            if (pattern.strip().equals("---")) {
                throw new UserError(where, "expected an INI host line, found '---' (is this a YAML file? name it .yml)");
            }
            Addresses.Address a = Addresses.parse(pattern);
            String namePattern = a == null ? pattern : a.host();
            Integer port = a == null ? null : a.port();
            if (pattern.endsWith(":") && port == null) {
                throw new UserError(where, "host '" + pattern + "': expected a port number after ':', found nothing");
            }
            List<String> names;
            try {
                names = HostRange.expand(namePattern);
            } catch (IllegalArgumentException e) {
                throw new UserError(where, "bad host range in '" + pattern + "': " + e.getMessage());
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            for (String t : tokens.subList(1, tokens.size())) {
                int eq = t.indexOf('=');
                if (eq < 0) {
                    throw new UserError(Position.of(file, lineNo, col + line.indexOf(t)),
                            "host '" + pattern + "': expected key=value host variable, found '" + t + "'");
                }
                vars.put(t.substring(0, eq), PyLiteral.evalOrString(t.substring(eq + 1)));
            }
            for (String n : names) {
                b.addHost(n, group, port, file);
                vars.forEach((k, v) -> b.setHostVar(n, k, v));
            }
        }

        private void varLine(String group, String line, int lineNo, int col) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UserError(Position.of(file, lineNo, col), "[" + group + ":vars]: expected key=value, found '"
                        + line + "'");
            }
            String key = line.substring(0, eq).strip();
            Object value = PyLiteral.evalOrString(line.substring(eq + 1).strip());
            b.setGroupVar(group, key, value, Position.of(file, lineNo, col));
        }
    }

    /** Ansible's YAML inventory format: groups with hosts, vars and children mappings. */
    private static final class YamlInventory {
        private final InventoryBuilder b;
        private final YamlReader.Document doc;
        private final Path file;

        YamlInventory(InventoryBuilder b, YamlReader.Document doc) {
            this.b = b;
            this.doc = doc;
            this.file = doc.file();
        }

        void parse() {
            Node root = doc.root();
            if (root == null) throw new UserError(Position.file(file), "YAML inventory: expected groups, found an empty file");
            if (!(root instanceof MappingNode map)) {
                throw expected(doc.position(root), "YAML inventory", "a mapping of group names", kind(root));
            }
            for (NodeTuple t : YamlReader.entries(file, map)) {
                if (YamlReader.keyText(file, t.getKeyNode()).equals("plugin")) {
                    throw new UserError(doc.position(t.getKeyNode()), "YAML inventory: expected groups, found an inventory "
                            + "plugin configuration ('plugin:'), which Drover does not support");
                }
            }
            for (NodeTuple t : YamlReader.entries(file, map)) group(YamlReader.keyText(file, t.getKeyNode()), t.getValueNode());
        }

        private void group(String name, Node data) {
            if (!isNull(data) && !(data instanceof MappingNode)) {
                throw expected(doc.position(data), "group '" + name + "'", "a mapping with hosts, vars or children",
                        kind(data));
            }
            b.addGroup(name);
            if (isNull(data)) return;
            for (NodeTuple t : YamlReader.entries(file, (MappingNode) data)) {
                String key = YamlReader.keyText(file, t.getKeyNode());
                Node value = t.getValueNode();
                if (!List.of("hosts", "vars", "children").contains(key)) {
                    throw new UserError(doc.position(t.getKeyNode()), "group '" + name
                            + "': expected 'hosts', 'vars' or 'children', found '" + key + "'"
                            + Suggest.hint(key, List.of("hosts", "vars", "children")));
                }
                if (isNull(value)) continue;
                if (value instanceof ScalarNode s && !key.equals("vars")) {
                    // Ansible accepts a single name written as a plain string
                    if (key.equals("hosts")) host(name, s.getValue(), null, s);
                    else child(name, s.getValue(), null, s);
                    continue;
                }
                if (!(value instanceof MappingNode entries)) {
                    throw expected(doc.position(value), "'" + key + "' of group '" + name + "'",
                            "a mapping", kind(value));
                }
                for (NodeTuple e : YamlReader.entries(file, entries)) {
                    String k = YamlReader.keyText(file, e.getKeyNode());
                    switch (key) {
                        case "vars" -> b.setGroupVar(name, k, doc.toJava(e.getValueNode()),
                                doc.position(e.getValueNode()));
                        case "hosts" -> host(name, k, e.getValueNode(), e.getKeyNode());
                        default -> child(name, k, e.getValueNode(), e.getKeyNode());
                    }
                }
            }
        }

        private void child(String parent, String name, Node data, Node at) {
            group(name, data);
            b.addChild(parent, name, doc.position(at));
        }

        private void host(String group, String pattern, Node data, Node at) {
            Position where = doc.position(at);
            if (at instanceof ScalarNode s && !s.getTag().equals(Tag.STR) && s.getTag() != null
                    && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
                throw UserError.expected(where, "host name in group '" + group + "'", "a string (quote numbers)",
                        doc.toJava(s));
            }
            if (data != null && !isNull(data) && !(data instanceof MappingNode)) {
                throw expected(doc.position(data), "host '" + pattern + "' in group '" + group + "'",
                        "a mapping of host variables (or nothing)", kind(data));
            }
            Addresses.Address a = Addresses.parse(pattern);
            String namePattern = a == null ? pattern : a.host();
            List<String> names;
            try {
                names = HostRange.expand(namePattern);
            } catch (IllegalArgumentException e) {
                throw new UserError(where, "bad host range in '" + pattern + "': " + e.getMessage());
            }
            for (String n : names) {
                b.addHost(n, group, a == null ? null : a.port(), file);
                if (data instanceof MappingNode vars) {
                    for (NodeTuple v : YamlReader.entries(file, vars)) {
                        b.setHostVar(n, YamlReader.keyText(file, v.getKeyNode()), doc.toJava(v.getValueNode()));
                    }
                }
            }
        }

        private static UserError expected(Position where, String what, String expected, String found) {
            return new UserError(where, what + ": expected " + expected + ", found " + found);
        }

        private static boolean isNull(Node n) {
            return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
        }

        private static String kind(Node n) {
            if (n instanceof MappingNode) return "a mapping";
            if (n instanceof SequenceNode) return "a list";
            return "'" + ((ScalarNode) n).getValue() + "' (a scalar)";
        }
    }
}
