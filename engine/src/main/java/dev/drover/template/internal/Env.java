package dev.drover.template.internal;

import dev.drover.error.Suggest;
import dev.drover.template.internal.Ast.Expr;
import dev.drover.template.internal.Ast.Stmt;
import dev.drover.yaml.VaultKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What stays the same for a whole run: filters, tests, global functions, the playbook directory and a cache of
 * parsed templates (the same strings are rendered for every host). Immutable apart from the thread-safe cache.
 */
public final class Env {
    public static final Parser.Options PLAYBOOK = new Parser.Options(true, false, true);
    private static final int CACHE_LIMIT = 20_000;

    final Path playbookDir;
    private final Map<String, Filters.Fn> filters = Filters.all();
    private final Map<String, Tests.Fn> tests = Tests.all();
    private final Map<Object, Object> cache = new ConcurrentHashMap<>();
    static final Set<String> GLOBALS = Set.of("range", "lookup", "query", "q", "dict", "namespace", "omit", "now");

    /** Opens vaulted files read by lookup('file') and lookup('template'). */
    final VaultKeys vault;

    public Env(Path playbookDir) {
        this(playbookDir, VaultKeys.NONE);
    }

    public Env(Path playbookDir, VaultKeys vault) {
        this.playbookDir = playbookDir.toAbsolutePath().normalize();
        this.vault = vault;
    }

    private record Key(String src, Parser.Options opts) {}

    @SuppressWarnings("unchecked")
    public List<Stmt> parse(String src, Parser.Options opts) {
        Key key = new Key(src, opts);
        Object hit = cache.get(key);
        if (hit != null) return (List<Stmt>) hit;
        List<Stmt> parsed = Parser.parseTemplate(src, opts);
        if (cache.size() > CACHE_LIMIT) cache.clear(); // bound memory on runs that render endless distinct strings
        cache.put(key, parsed);
        return parsed;
    }

    public Expr parseExpr(String src) {
        Object hit = cache.get(src);
        if (hit != null) return (Expr) hit;
        Expr parsed = Parser.parseExpression(src);
        if (cache.size() > CACHE_LIMIT) cache.clear();
        cache.put(src, parsed);
        return parsed;
    }

    /** "ansible.builtin.quote" and "quote" are the same filter. */
    static String shortName(String name) {
        for (String prefix : List.of("ansible.builtin.", "ansible.legacy.")) {
            if (name.startsWith(prefix)) return name.substring(prefix.length());
        }
        return name;
    }

    Filters.Fn filter(String name) {
        Filters.Fn f = filters.get(shortName(name));
        if (f == null) throw new EvalException("unknown filter '" + name + "'" + Suggest.hint(name, new java.util.TreeSet<>(filters.keySet())));
        return f;
    }

    Tests.Fn test(String name) {
        Tests.Fn t = tests.get(shortName(name));
        if (t == null) throw new EvalException("unknown test '" + name + "'" + Suggest.hint(name, new java.util.TreeSet<>(tests.keySet())));
        return t;
    }

    Set<String> globalNames() {
        return new java.util.TreeSet<>(GLOBALS);
    }

    /** A global function or constant, or null. */
    Object global(String name, Render r) {
        switch (name) {
            case "omit":
                return Render.OMIT;
            case "range":
                return (Py.Callable) (args, kw) -> range(args);
            case "lookup":
                return (Py.Callable) (args, kw) -> Lookups.lookup(r, args, kw, false);
            case "query", "q":
                return (Py.Callable) (args, kw) -> Lookups.lookup(r, args, kw, true);
            case "dict":
                return (Py.Callable) (args, kw) -> {
                    Map<Object, Object> out = new java.util.LinkedHashMap<>();
                    if (!args.isEmpty()) {
                        Object src = args.get(0);
                        if (src instanceof Map<?, ?> m) out.putAll(m);
                        else {
                            for (Object item : Py.iterate(src)) {
                                List<Object> kv = Py.iterate(item);
                                if (kv.size() != 2) throw new EvalException("dict(): each item must be a pair, found " + Py.repr(item));
                                out.put(kv.get(0), kv.get(1));
                            }
                        }
                    }
                    out.putAll(kw);
                    return out;
                };
            case "now":
                return (Py.Callable) PyTime::now;
            case "namespace":
                return (Py.Callable) (args, kw) -> {
                    Render.Namespace ns = new Render.Namespace();
                    if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> m) m.forEach((k, v) -> ns.put(String.valueOf(k), v));
                    ns.putAll(kw);
                    return ns;
                };
            default:
                return null;
        }
    }

    private static Object range(List<Object> args) {
        for (Object a : args) {
            if (!Py.isInt(a) && !(a instanceof Boolean)) throw new EvalException("range(): integer arguments expected, found " + Py.repr(a));
        }
        long start = 0, stop, step = 1;
        if (args.size() == 1) {
            stop = Py.toLong(args.get(0));
        } else if (args.size() == 2 || args.size() == 3) {
            start = Py.toLong(args.get(0));
            stop = Py.toLong(args.get(1));
            if (args.size() == 3) step = Py.toLong(args.get(2));
        } else {
            throw new EvalException("range() takes 1 to 3 arguments, found " + args.size());
        }
        if (step == 0) throw new EvalException("range() arg 3 must not be zero");
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
            if (out.size() > 1_000_000) throw new EvalException("range() is too large (more than 1000000 items)");
        }
        return out;
    }
}
