package dev.drover.template.internal;

import dev.drover.error.Position;
import dev.drover.yaml.VaultKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** lookup()/query(): env, file, template, pipe, lines, vars, items, list, dict — run on the controller. */
final class Lookups {
    private Lookups() {}

    static final List<String> NAMES = List.of("env", "file", "template", "pipe", "lines", "vars", "items", "list", "dict",
            "first_found", "fileglob");

    static Object lookup(Render r, List<Object> args, Map<String, Object> kw, boolean wantList) {
        if (args.isEmpty()) throw new EvalException("lookup() needs the name of a lookup plugin");
        String name = Env.shortName(Py.str(args.get(0)));
        List<Object> terms = new ArrayList<>(args.subList(1, args.size()));
        Map<String, Object> options = new LinkedHashMap<>(kw);
        String errors = options.containsKey("errors") ? Py.str(options.remove("errors")) : "strict";
        if (options.containsKey("wantlist")) wantList |= Py.truthy(options.remove("wantlist"));
        if (!List.of("strict", "warn", "ignore").contains(errors)) {
            throw new EvalException("lookup: errors must be 'strict', 'warn' or 'ignore', not " + Py.repr(errors));
        }
        List<Object> ran;
        try {
            ran = run(r, name, terms, options);
        } catch (EvalException e) {
            if (errors.equals("strict") || e.getMessage().startsWith("unknown lookup")) throw e;
            return wantList ? new ArrayList<>() : null;
        }
        if (wantList) return ran;
        if (ran.stream().allMatch(o -> o instanceof String)) return String.join(",", ran.stream().map(o -> (String) o).toList());
        return ran.size() == 1 ? ran.get(0) : ran;
    }

    private static List<Object> run(Render r, String name, List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        switch (name) {
            case "env":
                for (Object t : terms) {
                    String v = System.getenv(Py.str(t));
                    out.add(v != null ? v : options.getOrDefault("default", ""));
                }
                return out;
            case "file":
                for (Object t : terms) {
                    Path p = find(r, "files", Py.str(t));
                    String text = read(r, p);
                    if (Py.truthy(options.getOrDefault("rstrip", true))) text = Methods.stripChars(text, null, false, true);
                    if (Py.truthy(options.getOrDefault("lstrip", false))) text = Methods.stripChars(text, null, true, false);
                    out.add(text);
                }
                return out;
            case "template":
                for (Object t : terms) {
                    Path p = find(r, "templates", Py.str(t));
                    String text = read(r, p);
                    Render inner = new Render(r.env, r.vars, r.searchPath);
                    inner.depth = r.depth + 1;
                    if (inner.depth > 20) throw new EvalException("lookup('template'): templates include each other too deeply");
                    try {
                        out.add(inner.renderFile(text, new Parser.Options(true, false, false)));
                    } catch (EvalException e) {
                        throw new EvalException(e.getMessage() + " (in template " + p + (e.line() > 0 ? " line " + e.line() : "") + ")");
                    }
                }
                return out;
            case "pipe", "lines":
                for (Object t : terms) {
                    String stdout = pipe(r, Py.str(t));
                    if (name.equals("pipe")) out.add(Methods.stripChars(stdout, null, false, true));
                    else out.addAll(Methods.bind(stdout, "splitlines", r).call(List.of(), Map.of()) instanceof List<?> l ? l : List.of());
                }
                return out;
            case "vars":
                for (Object t : terms) {
                    String var = Py.str(t);
                    Object v = r.resolveVar(var, () -> null);
                    if (v == null && r.vars.lookup(var) == dev.drover.template.Vars.MISSING) {
                        if (!options.containsKey("default")) throw new EvalException("No variable found with this name: " + var);
                        v = options.get("default");
                    }
                    out.add(v);
                }
                return out;
            case "items":
                return Filters.flatten(terms, 1, false);
            case "list":
                return terms;
            case "dict":
                for (Object t : terms) {
                    if (!(t instanceof Map<?, ?> m)) throw new EvalException("with_dict expects a dict");
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("key", e.getKey());
                        item.put("value", e.getValue());
                        out.add(item);
                    }
                }
                return out;
            case "first_found":
                return firstFound(r, terms, options);
            case "fileglob":
                for (Object t : terms) out.addAll(fileglob(r, Py.str(t)));
                return out;
            default:
                throw new EvalException("unknown lookup '" + name + "'" + dev.drover.error.Suggest.hint(name, NAMES));
        }
    }

    /** The first existing file among the candidates (names, or dicts with files/paths); [] with skip=true. */
    private static List<Object> firstFound(Render r, List<Object> terms, Map<String, Object> options) {
        List<String> candidates = new ArrayList<>();
        boolean skip = Py.truthy(options.getOrDefault("skip", false));
        List<Object> specs = Filters.flatten(terms, -1, true);
        if (options.containsKey("files")) specs.add(options);
        for (Object spec : specs) {
            if (spec instanceof Map<?, ?> m) {
                List<Object> files = splitNames(m.get("files"));
                List<Object> paths = splitNames(m.get("paths"));
                skip |= Py.truthy(m.containsKey("skip") ? m.get("skip") : false);
                for (Object f : files) {
                    if (paths.isEmpty()) candidates.add(Py.str(f));
                    for (Object p : paths) candidates.add(Path.of(Py.str(p)).resolve(Py.str(f)).toString());
                }
            } else {
                candidates.add(Py.str(spec));
            }
        }
        for (String c : candidates) {
            try {
                return new ArrayList<>(List.of(find(r, "files", c).toAbsolutePath().normalize().toString()));
            } catch (EvalException notThere) {
                // try the next candidate
            }
        }
        if (skip) return new ArrayList<>();
        throw new EvalException("No file was found when using first_found.");
    }

    private static List<Object> splitNames(Object v) {
        if (v == null) return List.of();
        List<Object> out = new ArrayList<>();
        for (Object o : v instanceof List<?> l ? l : List.of(v)) {
            for (String part : Py.str(o).split("[,;]")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    /** Files (not directories) matching a shell pattern, in a "files" directory of the search path when relative. */
    private static List<Object> fileglob(Render r, String pattern) {
        Path p = Path.of(pattern);
        List<Path> dirs = new ArrayList<>();
        if (p.isAbsolute()) {
            dirs.add(p.getParent());
        } else {
            for (Path d : r.searchPath) dirs.add(d.resolve("files").resolve(pattern).getParent());
            dirs.add(r.env.playbookDir.resolve("files").resolve(pattern).getParent());
            dirs.add(r.env.playbookDir.resolve(pattern).getParent());
        }
        java.nio.file.PathMatcher glob = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
        for (Path dir : dirs) {
            if (dir == null || !Files.isDirectory(dir)) continue;
            List<Object> out = new ArrayList<>();
            try (var files = Files.list(dir)) {
                files.filter(f -> Files.isRegularFile(f) && glob.matches(f.getFileName())).sorted()
                        .forEach(f -> out.add(f.toAbsolutePath().normalize().toString()));
            } catch (IOException e) {
                throw new EvalException("lookup('fileglob'): could not list " + dir + ": " + e.getMessage());
            }
            if (!out.isEmpty()) return out;
        }
        return List.of();
    }

    /** Ansible's search: each search-path directory, then the playbook directory; "sub/" first, then the directory itself. */
    static Path find(Render r, String sub, String term) {
        Path t = Path.of(term);
        if (t.isAbsolute()) {
            if (Files.isRegularFile(t)) return t;
            throw new EvalException("could not locate file in lookup: " + term);
        }
        List<Path> dirs = new ArrayList<>(r.searchPath);
        dirs.add(r.env.playbookDir);
        for (Path d : dirs) {
            for (Path c : List.of(d.resolve(sub).resolve(term), d.resolve(term))) {
                if (Files.isRegularFile(c)) return c;
            }
        }
        throw new EvalException("could not locate file in lookup: " + term);
    }

    /** A file's text; a vaulted file is opened (as Ansible's file and template lookups do) and marked secret. */
    private static String read(Render r, Path p) {
        String text = read(p);
        if (!VaultKeys.isEncrypted(text)) return text;
        String plain = new String(r.env.vault.decrypt(text, Position.file(p)), StandardCharsets.UTF_8);
        r.env.vault.sensitive(plain);
        return plain;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EvalException("could not read " + p + ": " + e.getMessage());
        }
    }

    private static String pipe(Render r, String cmd) {
        try {
            Process proc = new ProcessBuilder("/bin/sh", "-c", cmd).directory(r.env.playbookDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = proc.waitFor();
            if (rc != 0) throw new EvalException("lookup_plugin.pipe(" + cmd + ") returned " + rc);
            return out;
        } catch (IOException e) {
            throw new EvalException("lookup('pipe'): could not run " + Py.repr(cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalException("lookup('pipe'): interrupted while running " + Py.repr(cmd));
        }
    }
}
