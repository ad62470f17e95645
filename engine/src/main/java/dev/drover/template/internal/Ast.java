package dev.drover.template.internal;

import java.util.List;

/** The parsed form of a Jinja2 template: statements holding expressions. */
public final class Ast {
    private Ast() {}

    public sealed interface Expr {}

    public record Const(Object value) implements Expr {}

    public record Name(String name) implements Expr {}

    public record Attr(Expr obj, String name) implements Expr {}

    public record Item(Expr obj, Expr key) implements Expr {}

    public record Slice(Expr obj, Expr start, Expr stop, Expr step) implements Expr {}

    public record Kw(String name, Expr value) {}

    public record Call(Expr fn, List<Expr> args, List<Kw> kwargs) implements Expr {}

    public record Filter(Expr arg, String name, List<Expr> args, List<Kw> kwargs) implements Expr {}

    public record Test(Expr arg, String name, List<Expr> args, List<Kw> kwargs, boolean negate) implements Expr {}

    public record Unary(String op, Expr operand) implements Expr {}

    public record Binary(String op, Expr left, Expr right) implements Expr {}

    public record Compare(Expr first, List<String> ops, List<Expr> rest) implements Expr {}

    public record Cond(Expr test, Expr then, Expr otherwise) implements Expr {}

    public record ListE(List<Expr> items) implements Expr {}

    public record TupleE(List<Expr> items) implements Expr {}

    public record DictE(List<Expr> keys, List<Expr> values) implements Expr {}

    public sealed interface Stmt {
        int line();
    }

    public record Text(String text, int line) implements Stmt {}

    public record Output(Expr expr, int line) implements Stmt {}

    public record If(List<Expr> conds, List<List<Stmt>> bodies, List<Stmt> otherwise, int line) implements Stmt {}

    public record For(List<String> targets, Expr iter, Expr filter, List<Stmt> body, List<Stmt> otherwise, int line)
            implements Stmt {}

    /** {@code {% set a = x %}}, {@code {% set a, b = x %}} or {@code {% set ns.attr = x %}} (attr non-null). */
    public record Set(List<String> targets, String attr, Expr value, int line) implements Stmt {}

    public record SetBlock(String target, List<Stmt> body, int line) implements Stmt {}

    public record Include(Expr template, boolean ignoreMissing, int line) implements Stmt {}

    /** {@code defaults} has one entry per parameter, null where there is no default. */
    public record Macro(String name, List<String> params, List<Expr> defaults, List<Stmt> body, int line) implements Stmt {}

    /** Source-like text of an expression, for error messages ("'result.stdout' ..."). */
    public static String src(Expr e) {
        if (e instanceof Name n) return n.name();
        if (e instanceof Attr a) return src(a.obj()) + "." + a.name();
        if (e instanceof Item i) return src(i.obj()) + "[" + src(i.key()) + "]";
        if (e instanceof Const c) return Py.repr(c.value());
        if (e instanceof Call c) return src(c.fn()) + "(...)";
        if (e instanceof Filter f) return src(f.arg()) + " | " + f.name();
        return "(expression)";
    }
}
