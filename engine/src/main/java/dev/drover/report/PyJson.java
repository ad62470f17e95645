package dev.drover.report;

import dev.drover.text.JsonStrings;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON written the way Ansible's console shows results (Python's {@code json.dumps(sort_keys=True,
 * ensure_ascii=False)}): sorted keys, ", " and ": " separators, optional 4-space indent. {@link #standard} writes
 * the same values as compact or 2-space JSON in their own key order, for files other programs read.
 */
public final class PyJson {
    /** How one flavour of JSON text looks. */
    private record Style(boolean python, String itemSeparator, String keySeparator, String indent) {}

    private static final Style PYTHON = new Style(true, ", ", ": ", "    ");
    private static final Style COMPACT = new Style(false, ",", ":", null);
    private static final Style INDENTED = new Style(false, ",", ": ", "  ");

    private PyJson() {}

    public static String dumps(Object value, boolean indent) {
        StringBuilder b = new StringBuilder();
        write(b, value, indent ? 0 : -1, PYTHON);
        return b.toString();
    }

    /**
     * Standard JSON of a JSON-ready value (maps, lists, strings, numbers, booleans, null): keys in the map's order,
     * compact or with a 2-space indent; NaN and infinities, which JSON cannot hold, become null.
     */
    public static String standard(Object value, boolean indent) {
        StringBuilder b = new StringBuilder();
        write(b, value, indent ? 0 : -1, indent ? INDENTED : COMPACT);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int level, Style style) {
        int inner = level < 0 ? -1 : level + 1;
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!style.python()) b.append(Double.isFinite(d) ? String.valueOf(n) : "null");
            else b.append(d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? String.format("%.1f", d) : String.valueOf(d));
        } else if (v instanceof Map<?, ?> m) {
            Map<?, ?> entries = m;
            if (style.python()) {
                Map<String, Object> sorted = new TreeMap<>();
                m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
                entries = sorted;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                first = sep(b, first, level, style);
                JsonStrings.quote(b, String.valueOf(e.getKey()), false);
                b.append(level < 0 && !style.python() ? ":" : ": ");
                write(b, e.getValue(), inner, style);
            }
            close(b, '}', level, entries.isEmpty(), style);
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                first = sep(b, first, level, style);
                write(b, o, inner, style);
            }
            close(b, ']', level, c.isEmpty(), style);
        } else {
            JsonStrings.quote(b, String.valueOf(v), false);
        }
    }

    private static boolean sep(StringBuilder b, boolean first, int level, Style style) {
        if (!first) b.append(level < 0 ? style.itemSeparator() : ",");
        if (level >= 0) b.append('\n').append(style.indent().repeat(level + 1));
        return false;
    }

    private static void close(StringBuilder b, char c, int level, boolean empty, Style style) {
        if (level >= 0 && !empty) b.append('\n').append(style.indent().repeat(level));
        b.append(c);
    }
}
