package dev.drover.template;

import dev.drover.error.Position;
import dev.drover.template.internal.Env;
import dev.drover.template.internal.EvalException;
import dev.drover.template.internal.LazyMap;
import dev.drover.template.internal.Parser;
import dev.drover.template.internal.Py;
import dev.drover.template.internal.Render;
import dev.drover.yaml.VaultKeys;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Renders Ansible-style Jinja2 expressions and templates. One per run; thread-safe (every call gets its own
 * render state); variables are read from {@link Vars} by name only when an expression uses them.
 *
 * <p>Strict: undefined variables, unknown filters/tests/functions and syntax errors are {@link TemplateError}s
 * at the caller's position, except where Ansible tolerates undefined ({@code is defined}, {@code | default}).
 */
public final class Templar {
    /** The value of {@code omit}: the executor drops module arguments equal to it. */
    public static final String OMIT = Render.OMIT;

    private final Env env;

    public Templar(Path playbookDir) {
        this(playbookDir, VaultKeys.NONE);
    }

    /** @param vault opens vaulted files that lookup('file') and lookup('template') read */
    public Templar(Path playbookDir, VaultKeys vault) {
        this.env = new Env(playbookDir, vault);
    }

    /**
     * Strings are rendered ("{{ expr }}" alone keeps the value's type: "{{ 5 }}" is 5, "{{ [1,2] }}" a list);
     * lists and maps are templated recursively; plain strings and other values are returned as they are.
     */
    public Object template(Object value, Vars vars, Position where) {
        return template(value, vars, where, List.of());
    }

    /** As {@link #template(Object, Vars, Position)}; lookup('file'/'template') search {@code searchPath} (a role) first. */
    public Object template(Object value, Vars vars, Position where, List<Path> searchPath) {
        return run(where, false, () -> new Render(env, vars, searchPath).templateValue(value));
    }

    /** when:/failed_when:/changed_when:/until: a bare expression, "{{ }}"-wrapped, a boolean, or a list (all must hold). */
    public boolean condition(Object expr, Vars vars, Position where) {
        return condition(expr, vars, where, List.of());
    }

    public boolean condition(Object expr, Vars vars, Position where, List<Path> searchPath) {
        return run(where, false, () -> new Render(env, vars, searchPath).condition(expr));
    }

    /** A bare expression's value (debug var:, loop: strings). */
    public Object evaluate(String expression, Vars vars, Position where) {
        return evaluate(expression, vars, where, List.of());
    }

    public Object evaluate(String expression, Vars vars, Position where, List<Path> searchPath) {
        return run(where, false, () -> new Render(env, vars, searchPath).evaluate(expression));
    }

    /**
     * A whole template file as the template module renders it: trim_blocks on, lstrip_blocks off, trailing
     * newlines kept, backslashes in string literals interpreted. {@code searchPath} is used by lookup('file') and
     * lookup('template') before the playbook directory. Errors carry the line inside the file when
     * {@code where} names the whole file (line 0).
     */
    public String renderText(String text, Vars vars, Position where, List<Path> searchPath) {
        return renderText(text, vars, where, searchPath, true, false);
    }

    /** With the template module's trim_blocks and lstrip_blocks options. */
    public String renderText(String text, Vars vars, Position where, List<Path> searchPath, boolean trimBlocks,
            boolean lstripBlocks) {
        return run(where, true, () -> new Render(env, vars, searchPath)
                .renderFile(text, new Parser.Options(trimBlocks, lstripBlocks, false)));
    }

    /** True when the value (or any string inside it) contains "{{", "{%" or "{#". */
    /**
     * {@code l} marked as data, never a template: renders do not scan it for "{{" (engine-built values such as
     * the play's host lists, which would cost O(hosts) on every task of every host).
     */
    public static <T> List<T> literal(List<T> l) {
        return dev.drover.template.internal.Literal.list(l);
    }

    /** {@code m} (whose values should be literal too) marked as data, never a template. */
    public static <K, V> Map<K, V> literal(Map<K, V> m) {
        return dev.drover.template.internal.Literal.map(m);
    }

    public static boolean isTemplated(Object value) {
        return Render.isTemplated(value);
    }

    /** Python's str(): True/False/None, ['a', 'b'], {'a': 1}, 1.0. */
    public static String toPython(Object value) {
        return Py.str(value);
    }

    /**
     * A read-only map over {@code vars} whose {@code get} templates the value on access (hostvars['h']).
     * Nothing is copied: each access resolves one name.
     */
    public Map<String, Object> lazyView(Vars vars, Position where) {
        return new LazyView(vars, where);
    }

    private final class LazyView extends AbstractMap<String, Object> implements LazyMap {
        private final Vars vars;
        private final Position where;

        LazyView(Vars vars, Position where) {
            this.vars = vars;
            this.where = where;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) return null;
            Object raw = vars.lookup(name);
            if (raw == Vars.MISSING) return null;
            if (!Render.isTemplated(raw)) return raw;
            return template(raw, vars, where);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && vars.lookup(name) != Vars.MISSING;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<String> names = vars.names();
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<String> it = names.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            String n = it.next();
                            return new SimpleImmutableEntry<>(n, get(n));
                        }
                    };
                }

                @Override
                public int size() {
                    return names.size();
                }
            };
        }
    }

    private <T> T run(Position where, boolean fileLines, Supplier<T> body) {
        try {
            return body.get();
        } catch (EvalException e) {
            Position at = where;
            if (fileLines && where != null && where.line() == 0 && e.line() > 0) {
                at = new Position(where.file(), e.line(), 0);
            }
            throw new TemplateError(at, e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateError(where, "recursive loop detected in template (nesting too deep)");
        }
    }
}
