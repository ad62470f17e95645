package dev.drover.template.internal;

import dev.drover.error.Suggest;
import dev.drover.template.Vars;
import dev.drover.template.internal.Ast.*;
import dev.drover.yaml.VaultText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One render: evaluates parsed templates against {@link Vars}, resolving names on demand. A variable whose raw
 * value holds templates is templated (with the same Vars) when first read and memoised for this render only, so
 * the work done never depends on how many variables exist. Not thread-safe: one per call.
 */
public final class Render {
    public static final String OMIT = "__omit_place_holder__drover";
    private static final String CONTEXT_MARK = " (while templating variable '";

    final Env env;
    final Vars vars;
    final List<Path> searchPath;
    private final Map<String, Object> memo = new HashMap<>();
    private final LinkedHashSet<String> resolving = new LinkedHashSet<>();
    int depth;
    /** How the template being rendered was read; {% include %} reads the included file the same way. */
    private Parser.Options opts = Env.PLAYBOOK;

    public Render(Env env, Vars vars, List<Path> searchPath) {
        this.env = env;
        this.vars = vars;
        this.searchPath = searchPath == null ? List.of() : searchPath;
    }

    /** Lexical scope for loop variables and {% set %}; the root scope has no locals. */
    static final class Scope {
        final Scope parent;
        final Map<String, Object> locals = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    /** The object made by namespace(): the one thing {% set ns.x = %} may change from inside a loop. */
    static final class Namespace extends LinkedHashMap<String, Object> {}

    // ------------------------------------------------------------------ entry points

    /** Templates a raw value: strings rendered ("{{ x }}" alone keeps x's type), lists and dicts recursively. */
    public Object templateValue(Object raw) {
        if (raw instanceof String s) return isTemplated(s) ? renderString(s, true, Env.PLAYBOOK) : s;
        // an inline !vault value is opened when used, as Ansible does; its plaintext is not templated again
        if (raw instanceof VaultText v) return v.plaintext();
        if (raw instanceof List<?> l) {
            if (!isTemplated(l)) return l;
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(templateValue(o));
            return out;
        }
        if (raw instanceof Map<?, ?> m) {
            if (!isTemplated(m)) return m;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(templateValue(e.getKey()), templateValue(e.getValue()));
            return out;
        }
        return raw;
    }

    public static boolean isTemplated(Object value) {
        if (value instanceof Literal.Value) return false;
        if (value instanceof String s) return s.contains("{{") || s.contains("{%") || s.contains("{#");
        if (value instanceof VaultText) return true; // so that templating opens it
        if (value instanceof List<?> l) {
            for (Object o : l) if (isTemplated(o)) return true;
            return false;
        }
        if (value instanceof Map<?, ?> m) {
            if (m instanceof LazyMap) return false;
            for (Map.Entry<?, ?> e : m.entrySet()) if (isTemplated(e.getKey()) || isTemplated(e.getValue())) return true;
            return false;
        }
        return false;
    }

    public Object renderString(String src, boolean nativeSingle, Parser.Options opts) {
        Parser.Options outer = this.opts;
        this.opts = opts;
        try {
            List<Stmt> body = env.parse(src, opts);
            if (nativeSingle && body.size() == 1 && body.get(0) instanceof Output o) {
                return defined(strict(eval(o.expr(), new Scope(null))));
            }
            StringBuilder sb = new StringBuilder();
            exec(body, new Scope(null), sb);
            return sb.toString();
        } finally {
            this.opts = outer;
        }
    }

    /** A template file, as Ansible's template module renders it (trailing newlines kept). */
    public String renderFile(String src, Parser.Options opts) {
        // Jinja2 drops one trailing newline; Ansible then pads back to the source's count.
        String body = src.endsWith("\r\n") ? src.substring(0, src.length() - 2) : src.endsWith("\n") ? src.substring(0, src.length() - 1) : src;
        String out = (String) renderString(body, false, opts);
        int want = trailingNewlines(src), have = trailingNewlines(out);
        if (want > have) out = out + "\n".repeat(want - have);
        return out;
    }

    private static int trailingNewlines(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\n'; i--) n++;
        return n;
    }

    public Object evaluate(String expression) {
        // debug var: and loop: accept "{{ x }}" too, as Ansible templates them before evaluating.
        if (isTemplated(expression)) return templateValue(expression);
        return defined(strict(eval(env.parseExpr(expression), new Scope(null))));
    }

    /** when:/failed_when:/changed_when:/until: semantics, as Ansible 2.14's Conditional. */
    public boolean condition(Object expr) {
        if (expr == null) return true;
        if (expr instanceof Boolean b) return b;
        if (expr instanceof List<?> l) {
            for (Object o : l) if (!condition(o)) return false;
            return true;
        }
        if (!(expr instanceof String s)) return Py.truthy(expr);
        String text = s.strip();
        if (text.isEmpty()) return true;
        if (isTemplated(text)) {
            Object v = renderString(text, true, Env.PLAYBOOK);
            if (!(v instanceof String str)) return Py.truthy(v);
            text = str.strip();
            if (text.isEmpty()) return false;
        }
        return Py.truthy(evaluate(text));
    }

    // ------------------------------------------------------------------ statements

    void exec(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt st : body) {
            try {
                execOne(st, scope, out);
            } catch (EvalException e) {
                if (e.line() == 0) throw new EvalException(e.getMessage(), st.line());
                throw e;
            }
        }
    }

    private void execOne(Stmt st, Scope scope, StringBuilder out) {
        if (st instanceof Text t) {
            out.append(t.text());
        } else if (st instanceof Output o) {
            Object v = strict(eval(o.expr(), scope));
            if (v != null) out.append(Py.str(v)); // Ansible's finalize renders None as ''
        } else if (st instanceof If i) {
            for (int k = 0; k < i.conds().size(); k++) {
                if (Py.truthy(eval(i.conds().get(k), scope))) {
                    exec(i.bodies().get(k), scope, out);
                    return;
                }
            }
            exec(i.otherwise(), scope, out);
        } else if (st instanceof For f) {
            execFor(f, scope, out);
        } else if (st instanceof Ast.Set s) {
            Object v = eval(s.value(), scope);
            if (s.attr() != null) {
                Object ns = lookupName(s.targets().get(0), scope);
                if (!(ns instanceof Namespace n)) {
                    throw new EvalException("can only set attributes on a namespace(), not on '" + s.targets().get(0) + "'");
                }
                n.put(s.attr(), v);
            } else {
                assign(s.targets(), v, scope);
            }
        } else if (st instanceof Include inc) {
            include(inc, scope, out);
        } else if (st instanceof Macro m) {
            scope.locals.put(m.name(), macro(m, scope));
        } else if (st instanceof SetBlock sb) {
            StringBuilder inner = new StringBuilder();
            exec(sb.body(), new Scope(scope), inner);
            scope.locals.put(sb.target(), inner.toString());
        }
    }

    private void include(Include inc, Scope scope, StringBuilder out) {
        String name = Py.str(strict(eval(inc.template(), scope)));
        java.nio.file.Path p;
        try {
            p = Lookups.find(this, "templates", name);
        } catch (EvalException e) {
            if (inc.ignoreMissing()) return;
            throw new EvalException("template not found for include: " + name);
        }
        if (++depth > 20) throw new EvalException("templates include each other too deeply (at " + name + ")");
        try {
            String text = Lookups.read(p);
            if (text.endsWith("\n")) text = text.substring(0, text.length() - 1); // Jinja2 drops one trailing newline
            exec(env.parse(text, opts), scope, out);
        } catch (EvalException e) {
            throw new EvalException(e.getMessage() + " (in included template " + name + (e.line() > 0 ? " line " + e.line() : "") + ")");
        } finally {
            depth--;
        }
    }

    /** A macro is a function rendering its body with its parameters; it sees the scope it was defined in. */
    private Py.Callable macro(Macro m, Scope definedIn) {
        return (args, kw) -> {
            if (args.size() > m.params().size()) {
                throw new EvalException("macro '" + m.name() + "' takes " + m.params().size() + " arguments, " + args.size() + " given");
            }
            Scope s = new Scope(definedIn);
            for (int i = 0; i < m.params().size(); i++) {
                String p = m.params().get(i);
                Object v;
                if (i < args.size()) v = args.get(i);
                else if (kw.containsKey(p)) v = kw.get(p);
                else if (m.defaults().get(i) != null) v = strict(eval(m.defaults().get(i), definedIn));
                else v = new Undefined(() -> "macro '" + m.name() + "' was called without '" + p + "'");
                s.locals.put(p, v);
            }
            StringBuilder sb = new StringBuilder();
            exec(m.body(), s, sb);
            return sb.toString();
        };
    }

    private void assign(List<String> targets, Object v, Scope scope) {
        if (targets.size() == 1) {
            scope.locals.put(targets.get(0), v);
            return;
        }
        List<Object> items = Py.iterate(v);
        if (items.size() != targets.size()) {
            throw new EvalException("cannot unpack " + items.size() + " values into " + targets.size() + " names");
        }
        for (int i = 0; i < targets.size(); i++) scope.locals.put(targets.get(i), items.get(i));
    }

    private void execFor(For f, Scope scope, StringBuilder out) {
        List<Object> items = Py.iterate(eval(f.iter(), scope));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope s = new Scope(scope);
                assign(f.targets(), item, s);
                if (Py.truthy(eval(f.filter(), s))) kept.add(item);
            }
            items = kept;
        }
        if (items.isEmpty()) {
            exec(f.otherwise(), scope, out);
            return;
        }
        int n = items.size();
        for (int i = 0; i < n; i++) {
            Scope s = new Scope(scope);
            assign(f.targets(), items.get(i), s);
            Map<String, Object> loop = new LinkedHashMap<>();
            loop.put("index", (long) i + 1);
            loop.put("index0", (long) i);
            loop.put("revindex", (long) (n - i));
            loop.put("revindex0", (long) (n - i - 1));
            loop.put("first", i == 0);
            loop.put("last", i == n - 1);
            loop.put("length", (long) n);
            loop.put("depth", 1L);
            loop.put("depth0", 0L);
            if (i > 0) loop.put("previtem", items.get(i - 1));
            if (i < n - 1) loop.put("nextitem", items.get(i + 1));
            final int idx = i;
            loop.put("cycle", (Py.Callable) (args, kw) -> {
                if (args.isEmpty()) throw new EvalException("loop.cycle() needs at least one argument");
                return args.get(idx % args.size());
            });
            s.locals.put("loop", loop);
            exec(f.body(), s, out);
        }
    }

    // ------------------------------------------------------------------ names

    Object lookupName(String name, Scope scope) {
        for (Scope s = scope; s != null; s = s.parent) {
            if (s.locals.containsKey(name)) return s.locals.get(name);
        }
        return resolveVar(name, () -> undefinedVariable(name, scope));
    }

    /** A variable from Vars, templated on first use in this render; globals when Vars lacks it. */
    Object resolveVar(String name, Supplier<Object> ifMissing) {
        if (memo.containsKey(name)) return memo.get(name);
        Object raw = vars.lookup(name);
        if (raw == Vars.MISSING) {
            Object g = env.global(name, this);
            return g != null ? g : ifMissing.get();
        }
        if (!isTemplated(raw)) {
            memo.put(name, raw); // the isTemplated scan is not free for big structures (groups)
            return raw;
        }
        if (resolving.contains(name)) {
            List<String> chain = new ArrayList<>();
            boolean on = false;
            for (String r : resolving) {
                if (r.equals(name)) on = true;
                if (on) chain.add(r);
            }
            chain.add(name);
            throw new EvalException("recursive loop detected in template: " + String.join(" -> ", chain));
        }
        resolving.add(name);
        Object value;
        try {
            value = templateValue(raw);
        } catch (EvalException e) {
            if (e.getMessage().contains(CONTEXT_MARK) || e.getMessage().startsWith("recursive loop")) throw e;
            throw new EvalException(e.getMessage() + CONTEXT_MARK + name + "')");
        } finally {
            resolving.remove(name);
        }
        memo.put(name, value);
        return value;
    }

    private Undefined undefinedVariable(String name, Scope scope) {
        return new Undefined(() -> {
            java.util.Set<String> candidates = new TreeSet<>(vars.names());
            for (Scope s = scope; s != null; s = s.parent) candidates.addAll(s.locals.keySet());
            return "undefined variable '" + name + "'" + Suggest.hint(name, candidates);
        });
    }

    // ------------------------------------------------------------------ expressions

    Object eval(Expr e, Scope scope) {
        if (e instanceof Const c) return c.value();
        if (e instanceof Name n) return lookupName(n.name(), scope);
        if (e instanceof Attr a) return Access.attr(eval(a.obj(), scope), a.name(), a.obj(), this);
        if (e instanceof Item i) {
            Object key = eval(i.key(), scope);
            if (key instanceof Undefined u) throw u.error();
            return Access.item(eval(i.obj(), scope), key, i.obj(), this);
        }
        if (e instanceof Slice s) {
            return Access.slice(strict(eval(s.obj(), scope)), evalOpt(s.start(), scope), evalOpt(s.stop(), scope),
                    evalOpt(s.step(), scope));
        }
        if (e instanceof Call c) return call(c, scope);
        if (e instanceof Filter f) return filter(f, scope);
        if (e instanceof Test t) return test(t, scope);
        if (e instanceof Unary u) {
            Object v = eval(u.operand(), scope);
            if (u.op().equals("not")) return !Py.truthy(v);
            return Ops.unary(u.op(), strict(v));
        }
        if (e instanceof Binary b) {
            if (b.op().equals("and")) {
                Object l = eval(b.left(), scope);
                return Py.truthy(l) ? eval(b.right(), scope) : l;
            }
            if (b.op().equals("or")) {
                Object l = eval(b.left(), scope);
                return Py.truthy(l) ? l : eval(b.right(), scope);
            }
            return Ops.binary(b.op(), strict(eval(b.left(), scope)), strict(eval(b.right(), scope)));
        }
        if (e instanceof Compare c) {
            Object left = strict(eval(c.first(), scope));
            for (int i = 0; i < c.ops().size(); i++) {
                Object right = strict(eval(c.rest().get(i), scope));
                if (!Ops.compare(c.ops().get(i), left, right)) return false;
                left = right;
            }
            return true;
        }
        if (e instanceof Cond c) {
            if (Py.truthy(eval(c.test(), scope))) return eval(c.then(), scope);
            if (c.otherwise() == null) {
                return new Undefined(() -> "the inline if-expression on " + Ast.src(c.test()) + " evaluated to false and no else section was defined", true);
            }
            return eval(c.otherwise(), scope);
        }
        if (e instanceof ListE l) {
            List<Object> out = new ArrayList<>();
            for (Expr x : l.items()) out.add(strict(eval(x, scope)));
            return out;
        }
        if (e instanceof TupleE t) {
            List<Object> out = new ArrayList<>();
            for (Expr x : t.items()) out.add(strict(eval(x, scope)));
            return new Py.Tuple(out);
        }
        if (e instanceof DictE d) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < d.keys().size(); i++) {
                out.put(Py.normInt(strict(eval(d.keys().get(i), scope))), strict(eval(d.values().get(i), scope)));
            }
            return out;
        }
        throw new IllegalStateException("unknown node " + e);
    }

    private Object evalOpt(Expr e, Scope scope) {
        return e == null ? null : strict(eval(e, scope));
    }

    /** A native result must not carry undefined values out to the caller ({{ users | map(attribute='x') | list }}). */
    private static Object defined(Object v) {
        if (v instanceof LazyMap) return v;
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                defined(e.getKey());
                defined(e.getValue());
            }
        } else if (v instanceof List<?> l) {
            for (Object o : l) defined(o);
        }
        return strict(v);
    }

    static Object strict(Object v) {
        if (v instanceof Undefined u) {
            if (u.soft()) return "";
            throw u.error();
        }
        return v;
    }

    private Object call(Call c, Scope scope) {
        Object fn;
        if (c.fn() instanceof Name n) {
            fn = lookupName(n.name(), scope);
            if (fn instanceof Undefined) {
                throw new EvalException("unknown function '" + n.name() + "'" + Suggest.hint(n.name(), env.globalNames()));
            }
        } else {
            fn = eval(c.fn(), scope);
        }
        if (fn instanceof Undefined u) throw u.error();
        List<Object> args = new ArrayList<>();
        for (Expr a : c.args()) args.add(strict(eval(a, scope)));
        Map<String, Object> kw = new LinkedHashMap<>();
        for (Kw k : c.kwargs()) kw.put(k.name(), strict(eval(k.value(), scope)));
        if (fn instanceof Py.Callable callable) return guarded("'" + Ast.src(c.fn()) + "()'", args, () -> callable.call(args, kw));
        throw new EvalException("'" + Ast.src(c.fn()) + "' is not callable (it is a " + Py.typeName(fn) + ")");
    }

    private Args evalArgs(List<Expr> exprs, List<Kw> kws, String owner, String subject, Scope scope) {
        List<Object> args = new ArrayList<>();
        for (Expr a : exprs) args.add(strict(eval(a, scope)));
        Map<String, Object> kw = new LinkedHashMap<>();
        for (Kw k : kws) kw.put(k.name(), strict(eval(k.value(), scope)));
        return new Args(args, kw, owner, subject);
    }

    private Object filter(Ast.Filter f, Scope scope) {
        Filters.Fn fn = env.filter(f.name());
        Object value = eval(f.arg(), scope);
        Args args = evalArgs(f.args(), f.kwargs(), f.name(), Ast.src(f.arg()), scope);
        if (value instanceof Undefined u && !Filters.acceptsUndefined(Env.shortName(f.name()))) throw u.error();
        return guarded("filter '" + f.name() + "'", value, () -> fn.apply(this, value, args));
    }

    private Object test(Ast.Test t, Scope scope) {
        Tests.Fn fn = env.test(t.name());
        Object value = eval(t.arg(), scope);
        Args args = evalArgs(t.args(), t.kwargs(), t.name(), Ast.src(t.arg()), scope);
        if (value instanceof Undefined u && !Tests.acceptsUndefined(Env.shortName(t.name()))) throw u.error();
        return t.negate() != guarded("test '" + t.name() + "'", value, () -> fn.test(this, value, args));
    }

    private static <T> T guarded(String what, Object value, Supplier<T> body) {
        try {
            return body.get();
        } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException
                 | NullPointerException | UnsupportedOperationException e) {
            throw failed(what, value, e);
        }
    }

    /** A Java failure inside a filter, test or method: the user only needs to know what got the wrong kind of value. */
    private static EvalException failed(String what, Object value, RuntimeException e) {
        String type = value instanceof Undefined ? "an undefined value" : "a " + Py.typeName(value);
        return new EvalException(what + " could not handle " + type + " here"
                + (e.getMessage() == null || e instanceof ClassCastException ? "" : ": " + e.getMessage()));
    }

    /** Applies a filter by name to a value (map('upper'), select('match', ...)). */
    Object applyFilter(String name, Object value, List<Object> args, Map<String, Object> kw) {
        if (value instanceof Undefined u && !Filters.acceptsUndefined(Env.shortName(name))) throw u.error();
        return env.filter(name).apply(this, value, new Args(args, kw, name));
    }

    boolean applyTest(String name, Object value, List<Object> args, Map<String, Object> kw) {
        if (value instanceof Undefined u && !Tests.acceptsUndefined(Env.shortName(name))) throw u.error();
        return env.test(name).test(this, value, new Args(args, kw, name));
    }
}
