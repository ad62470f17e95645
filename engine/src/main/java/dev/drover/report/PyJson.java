package dev.drover.report;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON written the way Ansible's console shows results (Python's {@code json.dumps(sort_keys=True,
 * ensure_ascii=False)}): sorted keys, ", " and ": " separators, optional 4-space indent.
 */
public final class PyJson {
    private PyJson() {}

    public static String dumps(Object value, boolean indent) {
        StringBuilder b = new StringBuilder();
        write(b, value, indent ? 0 : -1);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int level) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            b.append(d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? String.format("%.1f", d) : String.valueOf(d));
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            open(b, '{', level, sorted.isEmpty());
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                first = sep(b, first, level);
                string(b, e.getKey());
                b.append(": ");
                write(b, e.getValue(), level < 0 ? -1 : level + 1);
            }
            close(b, '}', level, sorted.isEmpty());
        } else if (v instanceof Collection<?> c) {
            open(b, '[', level, c.isEmpty());
            boolean first = true;
            for (Object o : c) {
                first = sep(b, first, level);
                write(b, o, level < 0 ? -1 : level + 1);
            }
            close(b, ']', level, c.isEmpty());
        } else {
            string(b, String.valueOf(v));
        }
    }

    private static void open(StringBuilder b, char c, int level, boolean empty) {
        b.append(c);
    }

    private static boolean sep(StringBuilder b, boolean first, int level) {
        if (!first) b.append(level < 0 ? ", " : ",");
        if (level >= 0) b.append('\n').append("    ".repeat(level + 1));
        return false;
    }

    private static void close(StringBuilder b, char c, int level, boolean empty) {
        if (level >= 0 && !empty) b.append('\n').append("    ".repeat(level));
        b.append(c);
    }

    /** A JSON string literal, escaped as Python's json.dumps does (shared with {@link EventJson}). */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
