package dev.drover.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two bits of Python that Ansible's INI inventory parser leans on: {@code shlex.split(line, comments=True)}
 * for host lines and {@code ast.literal_eval} for every value (host line vars and {@code [g:vars]} alike, as
 * ansible-core 2.14 does). A value that is not a Python literal stays the string it was.
 */
final class PyLiteral {
    private final String src;
    private int pos;

    private PyLiteral(String src) {
        this.src = src;
    }

    /** Splits like POSIX shlex with comments: quotes group, backslash escapes, '#' outside quotes ends the line. */
    static List<String> shlexSplit(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (token != null) tokens.add(token.toString());
                token = null;
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\'' || c == '"') {
                if (token == null) token = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= line.length()) throw new IllegalArgumentException("No closing quotation");
                    char d = line.charAt(j);
                    if (d == c) break;
                    if (c == '"' && d == '\\' && j + 1 < line.length()
                            && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        token.append(line.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    token.append(d);
                    j++;
                }
                i = j + 1;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) throw new IllegalArgumentException("No escaped character");
                if (token == null) token = new StringBuilder();
                token.append(line.charAt(i + 1));
                i += 2;
            } else {
                if (token == null) token = new StringBuilder();
                token.append(c);
                i++;
            }
        }
        if (token != null) tokens.add(token.toString());
        return tokens;
    }

    /** {@code ast.literal_eval(text)}, or the text itself when it is not a literal (Ansible's fallback). */
    static Object evalOrString(String text) {
        try {
            PyLiteral p = new PyLiteral(text);
            p.skipSpace();
            Object v = p.expression();
            p.skipSpace();
            if (p.pos != p.src.length()) return text;
            return v;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return text;
        }
    }

    private Object expression() {
        skipSpace();
        char c = peek();
        if (c == '-' || c == '+') {
            pos++;
            skipSpace();
            Object v = atom();
            if (!(v instanceof Number n)) throw fail();
            return c == '+' ? v : negate(n);
        }
        return atom();
    }

    private Object atom() {
        skipSpace();
        char c = peek();
        if (c == '[') return sequence('[', ']');
        if (c == '(') {
            pos++;
            skipSpace();
            if (peek() == ')') {
                pos++;
                return new PyTuple(List.of());
            }
            Object first = expression();
            skipSpace();
            if (peek() == ')') { // "(5)" is just 5 in Python; only a comma makes a tuple
                pos++;
                return first;
            }
            if (peek() != ',') throw fail();
            pos++;
            List<Object> tuple = new ArrayList<>();
            tuple.add(first);
            return new PyTuple(items(')', tuple));
        }
        if (c == '{') return dict();
        if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
            return number();
        }
        if (isStringStart()) {
            StringBuilder sb = new StringBuilder();
            do {
                sb.append(string());
                skipSpace();
            } while (pos < src.length() && isStringStart());
            return sb.toString();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
            String word = src.substring(start, pos);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw fail();
            };
        }
        throw fail();
    }

    private List<Object> sequence(char open, char close) {
        pos++;
        return items(close, new ArrayList<>());
    }

    private List<Object> items(char close, List<Object> out) {
        skipSpace();
        while (peek() != close) {
            out.add(expression());
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != close) {
                throw fail();
            }
        }
        pos++;
        return out;
    }

    private Object dict() {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        Object first = expression();
        skipSpace();
        if (peek() != ':') throw fail(); // a set: not representable as data, keep the text
        pos++;
        out.put(String.valueOf(first), expression());
        skipSpace();
        while (peek() == ',') {
            pos++;
            skipSpace();
            if (peek() == '}') break;
            Object k = expression();
            skipSpace();
            if (peek() != ':') throw fail();
            pos++;
            out.put(String.valueOf(k), expression());
            skipSpace();
        }
        if (peek() != '}') throw fail();
        pos++;
        return out;
    }

    private Object number() {
        int start = pos;
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) return radix(16);
        if (src.startsWith("0o", pos) || src.startsWith("0O", pos)) return radix(8);
        if (src.startsWith("0b", pos) || src.startsWith("0B", pos)) return radix(2);
        boolean isFloat = false;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isDigit(c) || c == '_') {
                pos++;
            } else if (c == '.') {
                isFloat = true;
                pos++;
            } else if ((c == 'e' || c == 'E')) {
                isFloat = true;
                pos++;
                if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            } else {
                break;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'j' || src.charAt(pos) == 'J')) throw fail(); // complex
        String text = src.substring(start, pos);
        if (text.contains("__") || text.endsWith("_") || text.contains("_.") || text.contains("._")) throw fail();
        text = text.replace("_", "");
        if (isFloat) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw fail();
            }
        }
        // Python 3 refuses "01" (a leading zero) unless every digit is zero.
        if (text.length() > 1 && text.charAt(0) == '0' && !text.chars().allMatch(ch -> ch == '0')) throw fail();
        return narrow(new BigInteger(text));
    }

    private Object radix(int radix) {
        pos += 2;
        int start = pos;
        while (pos < src.length() && (Character.digit(src.charAt(pos), radix) >= 0 || src.charAt(pos) == '_')) pos++;
        String digits = src.substring(start, pos).replace("_", "");
        if (digits.isEmpty()) throw fail();
        return narrow(new BigInteger(digits, radix));
    }

    static Object narrow(BigInteger v) {
        if (v.bitLength() < 32) return v.intValue();
        if (v.bitLength() < 64) return v.longValue();
        return v;
    }

    private static Object negate(Number n) {
        if (n instanceof Integer i) return narrow(BigInteger.valueOf(i).negate());
        if (n instanceof Long l) return narrow(BigInteger.valueOf(l).negate());
        if (n instanceof BigInteger b) return narrow(b.negate());
        if (n instanceof Double d) return -d;
        throw new IllegalArgumentException("not a number");
    }

    private boolean isStringStart() {
        int p = pos;
        while (p < src.length() && p - pos < 2 && "rRbBuU".indexOf(src.charAt(p)) >= 0) p++;
        return p < src.length() && (src.charAt(p) == '\'' || src.charAt(p) == '"');
    }

    private String string() {
        boolean raw = false;
        while ("rRbBuU".indexOf(peek()) >= 0) {
            if (peek() == 'r' || peek() == 'R') raw = true;
            pos++;
        }
        char q = peek();
        boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
        String close = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
        pos += close.length();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw fail();
            if (src.startsWith(close, pos)) {
                pos += close.length();
                return sb.toString();
            }
            char c = src.charAt(pos);
            if (!triple && c == '\n') throw fail();
            if (c == '\\' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                if (raw) {
                    sb.append(c).append(e);
                    pos += 2;
                    continue;
                }
                pos += 2;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\' -> sb.append('\\');
                    case '\'' -> sb.append('\'');
                    case '"' -> sb.append('"');
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'v' -> sb.append('\u000b');
                    case '\n' -> { }
                    case 'x' -> sb.append((char) hex(2));
                    case 'u' -> sb.append((char) hex(4));
                    case 'U' -> sb.appendCodePoint(hex(8));
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int v = e - '0';
                            for (int k = 0; k < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; k++) {
                                v = v * 8 + (src.charAt(pos++) - '0');
                            }
                            sb.append((char) v);
                        } else {
                            sb.append('\\').append(e); // Python keeps unknown escapes as written
                        }
                    }
                }
                continue;
            }
            sb.append(c);
            pos++;
        }
    }

    private int hex(int n) {
        if (pos + n > src.length()) throw fail();
        int v = Integer.parseInt(src.substring(pos, pos + n), 16);
        pos += n;
        return v;
    }

    private char peek() {
        if (pos >= src.length()) throw fail();
        return src.charAt(pos);
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private static IllegalArgumentException fail() {
        return new IllegalArgumentException("not a Python literal");
    }
}
