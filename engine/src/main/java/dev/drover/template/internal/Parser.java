package dev.drover.template.internal;

import dev.drover.template.internal.Ast.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2 lexer and parser (the subset Ansible playbooks and templates use): text, {@code {{ }}},
 * {@code {% if/elif/else/for/set/raw %}}, comments, whitespace control ({@code -}, {@code +},
 * trim_blocks, lstrip_blocks) and the full expression grammar with Jinja2's precedence.
 */
public final class Parser {
    /** How the source is read. {@code escapeBackslashes}: Ansible keeps backslashes in {{ }} string literals literal
     * when templating playbook values (its _escape_backslashes), but not in template files. */
    public record Options(boolean trimBlocks, boolean lstripBlocks, boolean escapeBackslashes) {}

    enum T { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, INT, FLOAT, STRING, OP, EOF }

    record Tok(T type, Object value, int line) {
        String text() {
            return String.valueOf(value);
        }

        boolean is(T t, String v) {
            return type == t && v.equals(value);
        }
    }

    private final List<Tok> toks;
    private int p;

    private Parser(List<Tok> toks) {
        this.toks = toks;
    }

    public static List<Stmt> parseTemplate(String src, Options opts) {
        Parser parser = new Parser(new Lexer(src, opts).lex());
        List<Stmt> body = new ArrayList<>();
        String end = parser.body(body, List.of());
        if (end != null) throw new EvalException("unexpected '{% " + end + " %}'", parser.peek().line());
        return body;
    }

    /** A bare expression (when:, debug var:, loop strings). */
    public static Expr parseExpression(String src) {
        Lexer lx = new Lexer(src, new Options(false, false, false));
        List<Tok> toks = new ArrayList<>();
        lx.tokenizeExpr(0, null, toks);
        toks.add(new Tok(T.EOF, "end of expression", lx.line));
        Parser parser = new Parser(toks);
        Expr e = parser.expr(true);
        if (parser.peek().type() != T.EOF) parser.fail("unexpected " + parser.describe(parser.peek()));
        return e;
    }

    // ---------------------------------------------------------------- statements

    /** Parses statements into {@code out} until a block tag named in {@code ends}; returns that name (or null at EOF). */
    private String body(List<Stmt> out, List<String> ends) {
        while (true) {
            Tok t = next();
            switch (t.type()) {
                case EOF:
                    if (!ends.isEmpty()) {
                        throw new EvalException("unexpected end of template; expected '{% " + String.join(" %}' or '{% ", ends) + " %}'", t.line());
                    }
                    return null;
                case DATA:
                    out.add(new Text(t.text(), t.line()));
                    break;
                case VAR_BEGIN: {
                    Expr e = expr(true);
                    expect(T.VAR_END, "'}}'");
                    out.add(new Output(e, t.line()));
                    break;
                }
                case BLOCK_BEGIN: {
                    Tok name = expect(T.NAME, "a statement name");
                    String kw = name.text();
                    if (ends.contains(kw)) return kw;
                    out.add(statement(kw, name.line()));
                    break;
                }
                default:
                    fail("unexpected " + describe(t));
            }
        }
    }

    private Stmt statement(String kw, int line) {
        switch (kw) {
            case "if": {
                List<Expr> conds = new ArrayList<>();
                List<List<Stmt>> bodies = new ArrayList<>();
                List<Stmt> otherwise = null;
                conds.add(expr(true));
                expect(T.BLOCK_END, "'%}'");
                while (true) {
                    List<Stmt> b = new ArrayList<>();
                    String end = body(b, List.of("elif", "else", "endif"));
                    if (otherwise != null) {
                        otherwise.addAll(b);
                    } else {
                        bodies.add(b);
                    }
                    if (end.equals("endif")) {
                        expect(T.BLOCK_END, "'%}'");
                        return new If(conds, bodies, otherwise == null ? List.of() : otherwise, line);
                    }
                    if (otherwise != null) fail("'{% " + end + " %}' after '{% else %}'");
                    if (end.equals("elif")) {
                        conds.add(expr(true));
                    } else {
                        otherwise = new ArrayList<>();
                    }
                    expect(T.BLOCK_END, "'%}'");
                }
            }
            case "for": {
                List<String> targets = new ArrayList<>();
                targets.add(expect(T.NAME, "a loop variable").text());
                while (peek().is(T.OP, ",")) {
                    next();
                    targets.add(expect(T.NAME, "a loop variable").text());
                }
                Tok in = expect(T.NAME, "'in'");
                if (!in.text().equals("in")) fail("expected 'in', found " + describe(in));
                Expr iter = orExpr();
                Expr filter = null;
                if (peek().is(T.NAME, "if")) {
                    next();
                    filter = expr(false);
                }
                if (peek().is(T.NAME, "recursive")) fail("recursive loops are not supported");
                expect(T.BLOCK_END, "'%}'");
                List<Stmt> b = new ArrayList<>();
                String end = body(b, List.of("else", "endfor"));
                List<Stmt> otherwise = new ArrayList<>();
                if (end.equals("else")) {
                    expect(T.BLOCK_END, "'%}'");
                    body(otherwise, List.of("endfor"));
                }
                expect(T.BLOCK_END, "'%}'");
                return new For(targets, iter, filter, b, otherwise, line);
            }
            case "set": {
                List<String> targets = new ArrayList<>();
                targets.add(expect(T.NAME, "a variable name").text());
                String attr = null;
                if (peek().is(T.OP, ".")) {
                    next();
                    attr = expect(T.NAME, "an attribute name").text();
                }
                while (attr == null && peek().is(T.OP, ",")) {
                    next();
                    targets.add(expect(T.NAME, "a variable name").text());
                }
                if (peek().type() == T.BLOCK_END && targets.size() == 1 && attr == null) {
                    next();
                    List<Stmt> b = new ArrayList<>();
                    body(b, List.of("endset"));
                    expect(T.BLOCK_END, "'%}'");
                    return new SetBlock(targets.get(0), b, line);
                }
                expect(T.OP, "=");
                Expr value = expr(true);
                expect(T.BLOCK_END, "'%}'");
                return new Ast.Set(targets, attr, value, line);
            }
            case "include": {
                Expr template = expr(true);
                boolean ignoreMissing = false;
                if (peek().is(T.NAME, "ignore")) {
                    next();
                    if (!next().is(T.NAME, "missing")) fail("expected 'ignore missing'");
                    ignoreMissing = true;
                }
                if (peek().is(T.NAME, "with") || peek().is(T.NAME, "without")) {
                    next();
                    if (!next().is(T.NAME, "context")) fail("expected 'with context' or 'without context'");
                }
                expect(T.BLOCK_END, "'%}'");
                return new Include(template, ignoreMissing, line);
            }
            case "macro": {
                String name = expect(T.NAME, "a macro name").text();
                expect(T.OP, "(");
                List<String> params = new ArrayList<>();
                List<Expr> defaults = new ArrayList<>();
                while (!peek().is(T.OP, ")")) {
                    if (!params.isEmpty()) expect(T.OP, ",");
                    params.add(expect(T.NAME, "a parameter name").text());
                    Expr dflt = null;
                    if (peek().is(T.OP, "=")) {
                        next();
                        dflt = expr(true);
                    }
                    defaults.add(dflt);
                }
                expect(T.OP, ")");
                expect(T.BLOCK_END, "'%}'");
                List<Stmt> b = new ArrayList<>();
                body(b, List.of("endmacro"));
                expect(T.BLOCK_END, "'%}'");
                return new Macro(name, params, defaults, b, line);
            }
            default:
                throw new EvalException("unknown statement '{% " + kw + " %}'"
                        + dev.drover.error.Suggest.hint(kw, List.of("if", "elif", "else", "endif", "for", "endfor", "set", "endset", "raw", "include", "macro")), line);
        }
    }

    // ---------------------------------------------------------------- expressions (Jinja2 precedence)

    /** {@code withCondExpr}: allow "a if b else c" (not inside a for-loop's iterable, as in Jinja2). */
    private Expr expr(boolean withCondExpr) {
        if (!withCondExpr) return orExpr();
        Expr e = orExpr();
        while (peek().is(T.NAME, "if")) {
            next();
            Expr test = orExpr();
            Expr otherwise = null;
            if (peek().is(T.NAME, "else")) {
                next();
                otherwise = expr(true);
            }
            e = new Cond(test, e, otherwise);
        }
        return e;
    }

    private Expr orExpr() {
        Expr e = andExpr();
        while (peek().is(T.NAME, "or")) {
            next();
            e = new Binary("or", e, andExpr());
        }
        return e;
    }

    private Expr andExpr() {
        Expr e = notExpr();
        while (peek().is(T.NAME, "and")) {
            next();
            e = new Binary("and", e, notExpr());
        }
        return e;
    }

    private Expr notExpr() {
        if (peek().is(T.NAME, "not")) {
            next();
            return new Unary("not", notExpr());
        }
        return compare();
    }

    private Expr compare() {
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Tok t = peek();
            String op = null;
            if (t.type() == T.OP && Set.of("==", "!=", "<", ">", "<=", ">=").contains(t.text())) {
                op = t.text();
                next();
            } else if (t.is(T.NAME, "in")) {
                op = "in";
                next();
            } else if (t.is(T.NAME, "not") && peek(1).is(T.NAME, "in")) {
                op = "not in";
                next();
                next();
            }
            if (op == null) break;
            ops.add(op);
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Compare(first, ops, rest);
    }

    private Expr math1() {
        Expr e = concat();
        while (peek().is(T.OP, "+") || peek().is(T.OP, "-")) {
            String op = next().text();
            e = new Binary(op, e, concat());
        }
        return e;
    }

    private Expr concat() {
        Expr e = math2();
        while (peek().is(T.OP, "~")) {
            next();
            e = new Binary("~", e, math2());
        }
        return e;
    }

    private Expr math2() {
        Expr e = pow();
        while (peek().type() == T.OP && Set.of("*", "/", "//", "%").contains(peek().text())) {
            String op = next().text();
            e = new Binary(op, e, pow());
        }
        return e;
    }

    private Expr pow() {
        Expr e = unary(true);
        while (peek().is(T.OP, "**")) {
            next();
            e = new Binary("**", e, unary(true));
        }
        return e;
    }

    private Expr unary(boolean withFilter) {
        Expr e;
        if (peek().is(T.OP, "-") || peek().is(T.OP, "+")) {
            String op = next().text();
            e = new Unary(op, unary(false));
        } else {
            e = primary();
        }
        e = postfix(e);
        if (withFilter) e = filterExpr(e);
        return e;
    }

    private Expr primary() {
        Tok t = next();
        switch (t.type()) {
            case NAME:
                switch (t.text()) {
                    case "true", "True": return new Const(Boolean.TRUE);
                    case "false", "False": return new Const(Boolean.FALSE);
                    case "none", "None": return new Const(null);
                    default: return new Name(t.text());
                }
            case STRING: {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().type() == T.STRING) sb.append(next().text());
                return new Const(sb.toString());
            }
            case INT, FLOAT:
                return new Const(t.value());
            case OP:
                switch (t.text()) {
                    case "(": {
                        if (peek().is(T.OP, ")")) {
                            next();
                            return new TupleE(List.of());
                        }
                        Expr e = expr(true);
                        if (peek().is(T.OP, ",")) {
                            List<Expr> items = new ArrayList<>(List.of(e));
                            while (peek().is(T.OP, ",")) {
                                next();
                                if (peek().is(T.OP, ")")) break;
                                items.add(expr(true));
                            }
                            expect(T.OP, ")");
                            return new TupleE(items);
                        }
                        expect(T.OP, ")");
                        return e;
                    }
                    case "[": {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().is(T.OP, "]")) {
                            if (!items.isEmpty()) {
                                expect(T.OP, ",");
                                if (peek().is(T.OP, "]")) break;
                            }
                            items.add(expr(true));
                        }
                        expect(T.OP, "]");
                        return new ListE(items);
                    }
                    case "{": {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().is(T.OP, "}")) {
                            if (!keys.isEmpty()) {
                                expect(T.OP, ",");
                                if (peek().is(T.OP, "}")) break;
                            }
                            keys.add(expr(true));
                            expect(T.OP, ":");
                            values.add(expr(true));
                        }
                        expect(T.OP, "}");
                        return new DictE(keys, values);
                    }
                    default:
                }
                break;
            default:
        }
        throw new EvalException("unexpected " + describe(t), t.line());
    }

    private Expr postfix(Expr e) {
        while (true) {
            Tok t = peek();
            if (t.is(T.OP, ".")) {
                next();
                Tok n = next();
                if (n.type() == T.NAME) {
                    e = new Attr(e, n.text());
                } else if (n.type() == T.INT) {
                    e = new Item(e, new Const(n.value()));
                } else {
                    fail("expected an attribute name after '.', found " + describe(n));
                }
            } else if (t.is(T.OP, "[")) {
                next();
                e = subscript(e);
            } else if (t.is(T.OP, "(")) {
                next();
                e = call(e);
            } else {
                return e;
            }
        }
    }

    private Expr subscript(Expr obj) {
        Expr start = null, stop = null, step = null;
        boolean slice = false;
        if (!peek().is(T.OP, ":")) start = expr(true);
        if (peek().is(T.OP, ":")) {
            slice = true;
            next();
            if (!peek().is(T.OP, "]") && !peek().is(T.OP, ":")) stop = expr(true);
            if (peek().is(T.OP, ":")) {
                next();
                if (!peek().is(T.OP, "]")) step = expr(true);
            }
        }
        expect(T.OP, "]");
        return slice ? new Slice(obj, start, stop, step) : new Item(obj, start);
    }

    private record Args(List<Expr> args, List<Kw> kwargs) {}

    private Args args() {
        List<Expr> args = new ArrayList<>();
        List<Kw> kwargs = new ArrayList<>();
        while (!peek().is(T.OP, ")")) {
            if (!args.isEmpty() || !kwargs.isEmpty()) {
                expect(T.OP, ",");
                if (peek().is(T.OP, ")")) break;
            }
            if (peek().type() == T.NAME && peek(1).is(T.OP, "=")) {
                String name = next().text();
                next();
                kwargs.add(new Kw(name, expr(true)));
            } else {
                if (!kwargs.isEmpty()) fail("a positional argument follows a keyword argument");
                args.add(expr(true));
            }
        }
        expect(T.OP, ")");
        return new Args(args, kwargs);
    }

    private Expr call(Expr fn) {
        Args a = args();
        return new Call(fn, a.args(), a.kwargs());
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(expect(T.NAME, "a filter or test name").text());
        while (peek().is(T.OP, ".") && peek(1).type() == T.NAME) {
            next();
            name.append('.').append(next().text());
        }
        return name.toString();
    }

    private Expr filterExpr(Expr e) {
        while (true) {
            if (peek().is(T.OP, "|")) {
                next();
                String name = dottedName();
                Args a = new Args(List.of(), List.of());
                if (peek().is(T.OP, "(")) {
                    next();
                    a = args();
                }
                e = postfix(new Filter(e, name, a.args(), a.kwargs()));
            } else if (peek().is(T.NAME, "is")) {
                next();
                boolean negate = false;
                if (peek().is(T.NAME, "not")) {
                    next();
                    negate = true;
                }
                String name = dottedName();
                Args a = new Args(List.of(), List.of());
                Tok t = peek();
                if (t.is(T.OP, "(")) {
                    next();
                    a = args();
                } else if ((t.type() == T.STRING || t.type() == T.INT || t.type() == T.FLOAT
                        || (t.type() == T.NAME && !Set.of("else", "or", "and", "if", "is", "in", "not").contains(t.text()))
                        || t.is(T.OP, "[") || t.is(T.OP, "{"))) {
                    // Jinja2 allows one argument without parentheses: "x is divisibleby 3".
                    a = new Args(List.of(postfix(primary())), List.of());
                }
                e = new Test(e, name, a.args(), a.kwargs(), negate);
            } else {
                return e;
            }
        }
    }

    // ---------------------------------------------------------------- token helpers

    private Tok peek() {
        return toks.get(p);
    }

    private Tok peek(int ahead) {
        return toks.get(Math.min(p + ahead, toks.size() - 1));
    }

    private Tok next() {
        Tok t = toks.get(p);
        if (t.type() != T.EOF) p++;
        return t;
    }

    private Tok expect(T type, String what) {
        Tok t = peek();
        boolean ok = type == T.OP ? t.is(T.OP, what) : t.type() == type;
        if (!ok) fail("expected " + (type == T.OP ? "'" + what + "'" : what) + ", found " + describe(t));
        return next();
    }

    private void fail(String message) {
        throw new EvalException("syntax error: " + message, peek().line());
    }

    String describe(Tok t) {
        return switch (t.type()) {
            case EOF -> "end of expression";
            case DATA -> "text";
            case VAR_BEGIN -> "'{{'";
            case VAR_END -> "'}}'";
            case BLOCK_BEGIN -> "'{%'";
            case BLOCK_END -> "'%}'";
            case STRING -> "string " + Py.repr(t.value());
            default -> "'" + t.text() + "'";
        };
    }

    // ---------------------------------------------------------------- lexer

    static final class Lexer {
        private static final Pattern RAW = Pattern.compile("\\{%([-+]?)\\s*raw\\s*(-?)%}");
        private static final Pattern ENDRAW = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*(-?)%}");
        private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
        private static final Pattern NUMBER =
                Pattern.compile("(\\d+(?:_\\d+)*)(\\.\\d+(?:_\\d+)*)?([eE][+-]?\\d+)?");
        private static final List<String> OPS = List.of("//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%",
                "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|");

        private final String src;
        private final Options opts;
        int line = 1;
        private int lineCountedTo = 0;

        Lexer(String src, Options opts) {
            this.src = src;
            this.opts = opts;
        }

        private int lineAt(int pos) {
            for (int i = lineCountedTo; i < pos && i < src.length(); i++) if (src.charAt(i) == '\n') line++;
            lineCountedTo = Math.max(lineCountedTo, pos);
            return line;
        }

        List<Tok> lex() {
            List<Tok> out = new ArrayList<>();
            int pos = 0;
            int stripNext = 0; // 0 none, 1 strip all leading whitespace (-%}), 2 drop one newline (trim_blocks)
            while (true) {
                int idx = nextTag(pos);
                String text = src.substring(pos, idx < 0 ? src.length() : idx);
                if (stripNext == 1) text = text.stripLeading();
                else if (stripNext == 2) text = text.startsWith("\r\n") ? text.substring(2) : text.startsWith("\n") ? text.substring(1) : text;
                stripNext = 0;
                if (idx < 0) {
                    if (!text.isEmpty()) out.add(new Tok(T.DATA, text, lineAt(pos)));
                    break;
                }
                char kind = src.charAt(idx + 1);
                int after = idx + 2;
                char mod = after < src.length() ? src.charAt(after) : 0;
                if (mod == '-') {
                    text = text.stripTrailing();
                } else if (opts.lstripBlocks() && kind != '{' && mod != '+') {
                    // Only whitespace between the start of the source line and the tag is removed.
                    int k = idx;
                    while (k > 0 && (src.charAt(k - 1) == ' ' || src.charAt(k - 1) == '\t')) k--;
                    if (k == 0 || src.charAt(k - 1) == '\n') text = text.substring(0, Math.max(0, text.length() - (idx - k)));
                }
                if (mod == '-' || mod == '+') after++;
                if (!text.isEmpty()) out.add(new Tok(T.DATA, text, lineAt(pos)));
                int tagLine = lineAt(idx);
                if (kind == '#') {
                    int end = src.indexOf("#}", after);
                    if (end < 0) throw new EvalException("syntax error: missing end of comment tag '#}'", tagLine);
                    boolean minus = end > after - 1 && src.charAt(end - 1) == '-';
                    pos = end + 2;
                    stripNext = minus ? 1 : opts.trimBlocks() ? 2 : 0;
                    continue;
                }
                if (kind == '%') {
                    Matcher raw = RAW.matcher(src).region(idx, src.length());
                    if (raw.lookingAt()) {
                        Matcher endraw = ENDRAW.matcher(src);
                        if (!endraw.find(raw.end())) throw new EvalException("syntax error: missing '{% endraw %}'", tagLine);
                        String inner = src.substring(raw.end(), endraw.start());
                        if (raw.group(2).equals("-")) inner = inner.stripLeading();
                        if (endraw.group(1).equals("-")) inner = inner.stripTrailing();
                        if (!inner.isEmpty()) out.add(new Tok(T.DATA, inner, tagLine));
                        pos = endraw.end();
                        stripNext = endraw.group(2).equals("-") ? 1 : opts.trimBlocks() ? 2 : 0;
                        continue;
                    }
                }
                boolean isVar = kind == '{';
                out.add(new Tok(isVar ? T.VAR_BEGIN : T.BLOCK_BEGIN, isVar ? "{{" : "{%", tagLine));
                int[] endInfo = new int[1];
                pos = tokenizeExpr(after, isVar ? "}}" : "%}", out, endInfo);
                out.add(new Tok(isVar ? T.VAR_END : T.BLOCK_END, isVar ? "}}" : "%}", lineAt(pos)));
                stripNext = endInfo[0] == 1 ? 1 : (!isVar && opts.trimBlocks() && endInfo[0] != 2) ? 2 : 0;
            }
            out.add(new Tok(T.EOF, "end of template", lineAt(src.length())));
            return out;
        }

        private int nextTag(int from) {
            int i = from;
            while (true) {
                int idx = src.indexOf('{', i);
                if (idx < 0 || idx + 1 >= src.length()) return -1;
                char c = src.charAt(idx + 1);
                if (c == '{' || c == '%' || c == '#') return idx;
                i = idx + 1;
            }
        }

        int tokenizeExpr(int pos, String end, List<Tok> out) {
            return tokenizeExpr(pos, end, out, new int[1]);
        }

        /**
         * Tokenizes from {@code pos} until {@code end} (outside brackets) or the end of input when {@code end} is
         * null. Returns the position after the end marker; endInfo[0] = 1 when it was "-}}"/"-%}", 2 for "+%}".
         */
        int tokenizeExpr(int pos, String end, List<Tok> out, int[] endInfo) {
            int depth = 0;
            while (true) {
                while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
                if (pos >= src.length()) {
                    if (end == null) return pos;
                    throw new EvalException("syntax error: unexpected end of template, expected '" + end + "'", lineAt(pos));
                }
                int ln = lineAt(pos);
                if (end != null && depth == 0) {
                    if (src.startsWith(end, pos)) return pos + 2;
                    if ((src.charAt(pos) == '-' || src.charAt(pos) == '+') && src.startsWith(end, pos + 1)) {
                        endInfo[0] = src.charAt(pos) == '-' ? 1 : 2;
                        return pos + 3;
                    }
                }
                char c = src.charAt(pos);
                if (c == '\'' || c == '"') {
                    int i = pos + 1;
                    StringBuilder raw = new StringBuilder();
                    while (i < src.length() && src.charAt(i) != c) {
                        if (src.charAt(i) == '\\' && i + 1 < src.length()) {
                            raw.append(src.charAt(i)).append(src.charAt(i + 1));
                            i += 2;
                        } else {
                            raw.append(src.charAt(i++));
                        }
                    }
                    if (i >= src.length()) throw new EvalException("syntax error: unterminated string", ln);
                    String value = opts.escapeBackslashes() && "}}".equals(end) ? raw.toString() : unescape(raw.toString());
                    out.add(new Tok(T.STRING, value, ln));
                    pos = i + 1;
                    continue;
                }
                Matcher m = NAME.matcher(src).region(pos, src.length());
                if (m.lookingAt()) {
                    out.add(new Tok(T.NAME, m.group(), ln));
                    pos = m.end();
                    continue;
                }
                m = NUMBER.matcher(src).region(pos, src.length());
                if (Character.isDigit(c) && m.lookingAt()) {
                    String num = m.group().replace("_", "");
                    if (m.group(2) != null || m.group(3) != null) {
                        out.add(new Tok(T.FLOAT, Double.parseDouble(num), ln));
                    } else {
                        out.add(new Tok(T.INT, Py.normInt(new java.math.BigInteger(num)), ln));
                    }
                    pos = m.end();
                    continue;
                }
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) throw new EvalException("syntax error: unexpected character '" + c + "'", ln);
                if (op.equals("(") || op.equals("[") || op.equals("{")) depth++;
                if ((op.equals(")") || op.equals("]") || op.equals("}")) && depth > 0) depth--;
                out.add(new Tok(T.OP, op, ln));
                pos += op.length();
            }
        }

        /** Python string-literal escapes, as Jinja2 applies them. */
        static String unescape(String s) {
            if (s.indexOf('\\') < 0) return s;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '\\' || i + 1 >= s.length()) {
                    sb.append(c);
                    continue;
                }
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\' -> sb.append('\\');
                    case '\'' -> sb.append('\'');
                    case '"' -> sb.append('"');
                    case '0' -> sb.append('\0');
                    case 'a' -> sb.append('\007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'v' -> sb.append('\013');
                    case '\n' -> { }
                    case 'x', 'u', 'U' -> {
                        int len = n == 'x' ? 2 : n == 'u' ? 4 : 8;
                        if (i + len < s.length() + 0 && s.substring(i + 1, Math.min(s.length(), i + 1 + len)).matches("[0-9a-fA-F]{" + len + "}")) {
                            sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 1 + len), 16));
                            i += len;
                        } else {
                            sb.append('\\').append(n);
                        }
                    }
                    default -> sb.append('\\').append(n);
                }
            }
            return sb.toString();
        }
    }
}
