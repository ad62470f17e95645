package dev.drover.template.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python string formatting: {@code "%s-%02d" % (a, b)}, the {@code format} filter and {@code str.format()}. */
final class Format {
    private Format() {}

    private static final Pattern PERCENT =
            Pattern.compile("%(?:\\(([^)]*)\\))?([-+ #0]*)(\\*|\\d+)?(?:\\.(\\*|\\d+))?([sridufFeEgGxXoc%])");

    static String percent(String fmt, Object value) {
        List<?> args = value instanceof Py.Tuple t ? t : List.of(value == null ? NULL : value);
        Matcher m = PERCENT.matcher(fmt);
        StringBuilder sb = new StringBuilder();
        int last = 0, next = 0;
        while (m.find()) {
            sb.append(fmt, last, m.start());
            last = m.end();
            char type = m.group(5).charAt(0);
            if (type == '%') {
                sb.append('%');
                continue;
            }
            Object arg;
            if (m.group(1) != null) {
                if (!(value instanceof Map<?, ?> map)) throw new EvalException("format requires a mapping");
                Object k = Py.findKey(map, m.group(1));
                if (k == Py.NO_KEY) throw new EvalException("format: no key " + Py.repr(m.group(1)));
                arg = map.get(k);
            } else {
                if (next >= args.size()) throw new EvalException("not enough arguments for format string");
                arg = args.get(next++);
                if (arg == NULL) arg = null;
            }
            String flags = m.group(2) == null ? "" : m.group(2);
            String width = m.group(3) == null ? "" : m.group(3);
            Integer prec = m.group(4) == null ? null : Integer.valueOf(m.group(4));
            sb.append(one(type, arg, flags, width, prec));
        }
        if (next < args.size() && !(value instanceof Map<?, ?>)) {
            throw new EvalException("not all arguments converted during string formatting");
        }
        return sb.append(fmt.substring(last)).toString();
    }

    private static final Object NULL = new Object();

    private static String one(char type, Object arg, String flags, String width, Integer prec) {
        String jflags = flags.replace("#", "");
        switch (type) {
            case 's', 'r': {
                String s = type == 's' ? Py.str(arg) : Py.repr(arg);
                if (prec != null && prec < s.length()) s = s.substring(0, prec);
                return pad(s, flags.contains("-"), width, ' ');
            }
            case 'd', 'i', 'u': {
                long v = toNumber(arg, type) instanceof Double d ? (long) (double) d : Py.toLong(arg);
                return String.format(Locale.ROOT, "%" + jflags + width + "d", v);
            }
            case 'x', 'X', 'o': {
                long v = Py.toLong(toNumber(arg, type));
                String s = type == 'o' ? Long.toOctalString(v) : Long.toHexString(v);
                if (type == 'X') s = s.toUpperCase(Locale.ROOT);
                return pad(s, flags.contains("-"), width, flags.contains("0") ? '0' : ' ');
            }
            case 'c':
                return arg instanceof String s ? s : new String(Character.toChars((int) Py.toLong(arg)));
            case 'f', 'F': {
                String s = fixed(Py.toDouble(toNumber(arg, type)), prec == null ? 6 : prec, false);
                if (!s.startsWith("-") && flags.contains("+")) s = "+" + s;
                else if (!s.startsWith("-") && flags.contains(" ")) s = " " + s;
                int w = width.isEmpty() ? 0 : Integer.parseInt(width);
                if (flags.contains("0") && !flags.contains("-") && s.length() < w) {
                    int signLen = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
                    return s.substring(0, signLen) + "0".repeat(w - s.length()) + s.substring(signLen);
                }
                return pad(s, flags.contains("-"), width, ' ');
            }
            default: {
                double v = Py.toDouble(toNumber(arg, type));
                String spec = "%" + jflags + width + "." + (prec == null ? 6 : prec) + Character.toLowerCase(type == 'F' ? 'f' : type);
                String s = String.format(Locale.ROOT, spec, v);
                return Character.isUpperCase(type) ? s.toUpperCase(Locale.ROOT) : s;
            }
        }
    }

    /** Fixed-point digits as C/Python print them: the exact binary value rounded half-even ('%.1f' % 2.25 is 2.2). */
    static String fixed(double v, int prec, boolean grouping) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Py.floatRepr(v);
        java.math.BigDecimal bd = new java.math.BigDecimal(v).setScale(prec, java.math.RoundingMode.HALF_EVEN);
        if (!grouping) return bd.toPlainString();
        return String.format(Locale.ROOT, "%,." + prec + "f", bd);
    }

    private static Object toNumber(Object arg, char type) {
        if (!Py.isNumber(arg)) throw new EvalException("%" + type + " format: a number is required, not " + Py.typeName(arg));
        return arg instanceof Float f ? (Object) (double) f : arg;
    }

    private static String pad(String s, boolean left, String width, char fill) {
        int w = width.isEmpty() ? 0 : Integer.parseInt(width);
        if (s.length() >= w) return s;
        String p = String.valueOf(fill).repeat(w - s.length());
        return left ? s + p : p + s;
    }

    private static final Pattern FIELD = Pattern.compile("\\{\\{|}}|\\{([^{}:!]*)(?:!([rsa]))?(?::([^{}]*))?}");
    private static final Pattern SPEC = Pattern.compile("(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([bcdeEfFgGnosxX%])?");

    /** Python's str.format(). */
    static String brace(String fmt, List<Object> args, Map<String, Object> kw) {
        Matcher m = FIELD.matcher(fmt);
        StringBuilder sb = new StringBuilder();
        int last = 0, auto = 0;
        while (m.find()) {
            sb.append(fmt, last, m.start());
            last = m.end();
            if (m.group().equals("{{")) {
                sb.append('{');
                continue;
            }
            if (m.group().equals("}}")) {
                sb.append('}');
                continue;
            }
            String field = m.group(1);
            Object v;
            if (field.isEmpty()) {
                if (auto >= args.size()) throw new EvalException("str.format(): not enough positional arguments");
                v = args.get(auto++);
            } else if (field.matches("\\d+")) {
                int i = Integer.parseInt(field);
                if (i >= args.size()) throw new EvalException("str.format(): no positional argument " + i);
                v = args.get(i);
            } else {
                if (!kw.containsKey(field)) throw new EvalException("str.format(): no keyword argument '" + field + "'");
                v = kw.get(field);
            }
            if ("r".equals(m.group(2))) v = Py.repr(v);
            sb.append(spec(v, m.group(3) == null ? "" : m.group(3)));
        }
        return sb.append(fmt.substring(last)).toString();
    }

    private static String spec(Object v, String spec) {
        if (spec.isEmpty()) return Py.str(v);
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) throw new EvalException("invalid format specifier '" + spec + "'");
        char fill = m.group(1) == null ? (m.group(5) != null ? '0' : ' ') : m.group(1).charAt(0);
        String align = m.group(2) == null ? (Py.isNumber(v) && !(v instanceof Boolean) ? ">" : "<") : m.group(2);
        if (m.group(2) == null && m.group(5) != null) align = "=";
        int width = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        Integer prec = m.group(8) == null ? null : Integer.valueOf(m.group(8));
        String type = m.group(9) == null ? "" : m.group(9);
        String body;
        switch (type) {
            case "d", "n" -> body = String.format(Locale.ROOT, m.group(7) != null ? "%,d" : "%d", Py.toLong(v));
            case "f", "F" -> body = fixed(Py.toDouble(v), prec == null ? 6 : prec, m.group(7) != null);
            case "e", "E" -> body = String.format(Locale.ROOT, "%." + (prec == null ? 6 : prec) + type, Py.toDouble(v));
            case "%" -> body = String.format(Locale.ROOT, "%." + (prec == null ? 6 : prec) + "f%%", Py.toDouble(v) * 100);
            case "x" -> body = Long.toHexString(Py.toLong(v));
            case "X" -> body = Long.toHexString(Py.toLong(v)).toUpperCase(Locale.ROOT);
            case "o" -> body = Long.toOctalString(Py.toLong(v));
            case "b" -> body = Long.toBinaryString(Py.toLong(v));
            default -> {
                body = m.group(7) != null && Py.isInt(v) ? String.format(Locale.ROOT, "%,d", Py.toLong(v)) : Py.str(v);
                if (prec != null && prec < body.length() && v instanceof String) body = body.substring(0, prec);
            }
        }
        if (m.group(3) != null && m.group(3).equals("+") && Py.isNumber(v) && !body.startsWith("-")) body = "+" + body;
        if (body.length() >= width) return body;
        int padLen = width - body.length();
        String p = String.valueOf(fill).repeat(padLen);
        return switch (align) {
            case "<" -> body + p;
            case "^" -> String.valueOf(fill).repeat(padLen / 2) + body + String.valueOf(fill).repeat(padLen - padLen / 2);
            case "=" -> body.startsWith("-") || body.startsWith("+") ? body.charAt(0) + p + body.substring(1) : p + body;
            default -> p + body;
        };
    }
}
