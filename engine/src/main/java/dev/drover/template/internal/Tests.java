package dev.drover.template.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Jinja2's and Ansible's tests ({@code x is defined}, {@code r is failed}, {@code v is version('15', '>=')}). */
final class Tests {
    private Tests() {}

    interface Fn {
        boolean test(Render r, Object value, Args a);
    }

    static boolean acceptsUndefined(String name) {
        return name.equals("defined") || name.equals("undefined");
    }

    static Map<String, Fn> all() {
        Map<String, Fn> t = new HashMap<>();
        t.put("defined", (r, v, a) -> !(v instanceof Undefined));
        t.put("undefined", (r, v, a) -> v instanceof Undefined);
        t.put("none", (r, v, a) -> v == null);
        t.put("match", (r, v, a) -> regex(v, a, "match"));
        t.put("search", (r, v, a) -> regex(v, a, "search"));
        t.put("regex", (r, v, a) -> regex(v, a, a.str(3, "match_type", "search")));
        t.put("version", (r, v, a) -> Versions.compare(v, a));
        t.put("version_compare", t.get("version"));
        Fn failed = (r, v, a) -> Py.truthy(result(v, "failed").getOrDefault("failed", false));
        t.put("failed", failed);
        t.put("failure", failed);
        Fn succeeded = (r, v, a) -> !Py.truthy(result(v, "succeeded").getOrDefault("failed", false));
        t.put("succeeded", succeeded);
        t.put("success", succeeded);
        t.put("successful", succeeded);
        Fn changed = (r, v, a) -> changed(result(v, "changed"));
        t.put("changed", changed);
        t.put("change", changed);
        Fn skipped = (r, v, a) -> Py.truthy(result(v, "skipped").getOrDefault("skipped", false));
        t.put("skipped", skipped);
        t.put("skip", skipped);
        t.put("reachable", (r, v, a) -> !Py.truthy(result(v, "reachable").getOrDefault("unreachable", false)));
        t.put("unreachable", (r, v, a) -> Py.truthy(result(v, "unreachable").getOrDefault("unreachable", false)));
        t.put("finished", (r, v, a) -> Py.eq(result(v, "finished").getOrDefault("finished", 1L), 1L));
        t.put("subset", (r, v, a) -> allIn(v, a.required(0, null)));
        t.put("superset", (r, v, a) -> allIn(a.required(0, null), v));
        t.put("contains", (r, v, a) -> Py.contains(v, a.required(0, null)));
        t.put("in", (r, v, a) -> Py.contains(a.required(0, null), v));
        t.put("string", (r, v, a) -> v instanceof String);
        t.put("number", (r, v, a) -> Py.isNumber(v) && !(v instanceof Boolean));
        t.put("integer", (r, v, a) -> Py.isInt(v));
        t.put("float", (r, v, a) -> Py.isFloat(v));
        t.put("boolean", (r, v, a) -> v instanceof Boolean);
        t.put("mapping", (r, v, a) -> v instanceof Map<?, ?>);
        t.put("iterable", (r, v, a) -> v instanceof String || v instanceof Collection<?> || v instanceof Map<?, ?>);
        t.put("sequence", (r, v, a) -> v instanceof String || v instanceof Collection<?> || v instanceof Map<?, ?>);
        t.put("callable", (r, v, a) -> v instanceof Py.Callable);
        t.put("truthy", (r, v, a) -> a.bool(0, "convert_bool", false) ? Boolean.TRUE.equals(Filters.toBool(v)) : Py.truthy(v));
        t.put("falsy", (r, v, a) -> !(a.bool(0, "convert_bool", false) ? Boolean.TRUE.equals(Filters.toBool(v)) : Py.truthy(v)));
        t.put("file", (r, v, a) -> Files.isRegularFile(path(r, v)));
        t.put("directory", (r, v, a) -> Files.isDirectory(path(r, v)));
        t.put("exists", (r, v, a) -> Files.exists(path(r, v)));
        t.put("link", (r, v, a) -> Files.isSymbolicLink(path(r, v)));
        t.put("abs", (r, v, a) -> Py.str(v).startsWith("/"));
        t.put("same_file", (r, v, a) -> {
            try {
                return Files.isSameFile(path(r, v), path(r, a.required(0, null)));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Fn eq = (r, v, a) -> Py.eq(v, a.required(0, null));
        t.put("eq", eq);
        t.put("equalto", eq);
        t.put("==", eq);
        t.put("ne", (r, v, a) -> !Py.eq(v, a.required(0, null)));
        t.put("!=", t.get("ne"));
        t.put("lt", (r, v, a) -> Py.compare(v, a.required(0, null), "<") < 0);
        t.put("lessthan", t.get("lt"));
        t.put("<", t.get("lt"));
        t.put("le", (r, v, a) -> Py.compare(v, a.required(0, null), "<=") <= 0);
        t.put("<=", t.get("le"));
        t.put("gt", (r, v, a) -> Py.compare(v, a.required(0, null), ">") > 0);
        t.put("greaterthan", t.get("gt"));
        t.put(">", t.get("gt"));
        t.put("ge", (r, v, a) -> Py.compare(v, a.required(0, null), ">=") >= 0);
        t.put(">=", t.get("ge"));
        t.put("odd", (r, v, a) -> Py.toLong(v) % 2 != 0);
        t.put("even", (r, v, a) -> Py.toLong(v) % 2 == 0);
        t.put("divisibleby", (r, v, a) -> Py.toLong(v) % a.integer(0, "num", 1) == 0);
        t.put("lower", (r, v, a) -> Py.str(v).equals(Py.str(v).toLowerCase(java.util.Locale.ROOT)));
        t.put("upper", (r, v, a) -> Py.str(v).equals(Py.str(v).toUpperCase(java.util.Locale.ROOT)));
        t.put("sameas", (r, v, a) -> {
            // Python "is": None/True/False are singletons, small ints are cached, other values are distinct.
            Object o = a.required(0, null);
            if (v == null || o == null) return v == o;
            if (v instanceof Boolean || o instanceof Boolean) return v.equals(o);
            if (Py.isInt(v) && Py.isInt(o)) return Py.eq(v, o) && Py.toLong(v) >= -5 && Py.toLong(v) <= 256;
            return v == o;
        });
        t.put("any", (r, v, a) -> Py.iterate(v).stream().anyMatch(Py::truthy));
        t.put("all", (r, v, a) -> Py.iterate(v).stream().allMatch(Py::truthy));
        return t;
    }

    private static Path path(Render r, Object v) {
        Path p = Path.of(Py.str(v));
        return p.isAbsolute() ? p : r.env.playbookDir.resolve(p);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> result(Object v, String test) {
        if (!(v instanceof Map<?, ?> m)) throw new EvalException("The '" + test + "' test expects a dictionary");
        return (Map<Object, Object>) m;
    }

    private static boolean changed(Map<Object, Object> m) {
        if (m.containsKey("changed")) return Py.truthy(m.get("changed"));
        if (m.get("results") instanceof List<?> results && !results.isEmpty() && results.get(0) instanceof Map<?, ?>) {
            for (Object o : results) if (o instanceof Map<?, ?> res && Py.truthy(res.containsKey("changed") ? res.get("changed") : false)) return true;
        }
        return false;
    }

    private static boolean allIn(Object small, Object big) {
        List<Object> b = Py.iterate(big);
        for (Object o : Py.iterate(small)) if (!Py.contains(b, o)) return false;
        return true;
    }

    private static boolean regex(Object v, Args a, String type) {
        String pattern = a.str(0, "pattern", "");
        PyRegex re = PyRegex.compile(pattern, a.bool(1, "ignorecase", false), a.bool(2, "multiline", false));
        java.util.regex.Matcher m = re.pattern.matcher(Py.str(v));
        return switch (type) {
            case "match" -> m.lookingAt();
            case "fullmatch" -> m.matches();
            case "search" -> m.find();
            default -> throw new EvalException("regex: match_type must be one of match, fullmatch, search");
        };
    }
}
