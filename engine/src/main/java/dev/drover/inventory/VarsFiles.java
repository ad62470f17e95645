package dev.drover.inventory;

import dev.drover.error.Position;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Reads {@code group_vars/} and {@code host_vars/} files like Ansible's host_group_vars plugin, once per run:
 * results are cached by (directory, kind, name), so asking again for every task costs a map lookup.
 * Thread-safe; one instance is shared by an inventory and every copy made from it at run time.
 */
final class VarsFiles {
    static final String GROUP_VARS = "group_vars";
    static final String HOST_VARS = "host_vars";
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private record Key(Path dir, String kind, String name) {}

    private final Map<Key, Map<String, Object>> cache = new ConcurrentHashMap<>();
    private final VaultKeys vault;

    VarsFiles(VaultKeys vault) {
        this.vault = vault;
    }

    /**
     * The variables for one group or host found under {@code dir/kind/}: the first of {@code name},
     * {@code name.yml}, {@code name.yaml}, {@code name.json} that exists, or a directory {@code name/}
     * whose files (no extension or one of those) are read in sorted order, later files winning.
     */
    Map<String, Object> load(Path dir, String kind, String name) {
        return cache.computeIfAbsent(new Key(dir.toAbsolutePath().normalize(), kind, name), this::read);
    }

    private Map<String, Object> read(Key key) {
        Path base = key.dir().resolve(key.kind());
        Map<String, Object> out = new LinkedHashMap<>();
        // a name with a path separator would escape the directory; Ansible refuses such entities too
        if (!Files.isDirectory(base) || key.name().contains("/") || key.name().isEmpty()) return out;
        for (Path file : find(base, key.name())) out.putAll(readFile(file)); // a vaulted file is opened
        return out;
    }

    private static List<Path> find(Path base, String name) {
        List<Path> found = new ArrayList<>();
        for (String ext : EXTENSIONS) {
            Path p = base.resolve(name + ext);
            if (!Files.exists(p)) continue;
            if (Files.isDirectory(p)) {
                found.addAll(dirFiles(p));
            } else {
                found.add(p);
            }
            break;
        }
        return found;
    }

    private static List<Path> dirFiles(Path dir) {
        List<Path> found = new ArrayList<>();
        for (Path p : sortedEntries(dir)) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) continue; // hidden files and editor backups
            String ext = extension(n);
            if (Files.isDirectory(p) && ext.isEmpty()) {
                found.addAll(dirFiles(p));
            } else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) {
                found.add(p);
            }
        }
        return found;
    }

    /** A directory's entries sorted by name in code-point (ASCII) order, as Python's sorted(os.listdir()). */
    static List<Path> sortedEntries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UserError(Position.file(dir), "cannot list directory: " + e.getMessage());
        }
    }

    /** Python's os.path.splitext: the last dot not at the start of the name. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        int start = 0;
        while (start < name.length() && name.charAt(start) == '.') start++; // leading dots are not extensions
        return dot >= start ? name.substring(dot) : "";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readFile(Path file) {
        YamlReader.Document doc = YamlReader.parse(file, vault);
        Object data = doc.toJava();
        if (data == null) return Map.of();
        if (!(data instanceof Map<?, ?>)) {
            throw UserError.expected(doc.position(doc.root()), "variables file", "a mapping of variable names to values", data);
        }
        return (Map<String, Object>) data;
    }
}
