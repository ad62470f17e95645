package dev.drover.report;

import dev.drover.error.Position;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events and their values as JSON-ready maps, by reflection over record components, so an event type added later
 * is written without touching the sinks: {@code HostResult} becomes type {@code host_result}, component
 * {@code itemLabel} becomes key {@code item_label}, a {@link Position} becomes {@code "file:line:column"}, an enum
 * its lower-case name.
 */
public final class EventJson {
    private EventJson() {}

    public static String type(Event event) {
        return snake(event.getClass().getSimpleName());
    }

    /** The event's components, in declaration order, as JSON-ready values (not yet redacted). */
    public static Map<String, Object> fields(Event event) {
        return recordMap((Record) event);
    }

    /** Any record's components, as {@link #fields} does for events. */
    public static Map<String, Object> record(Record r) {
        return recordMap(r);
    }

    public static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) return v;
        if (v instanceof Position p) return p.toString();
        if (v instanceof Enum<?> e) return e.name().toLowerCase(java.util.Locale.ROOT);
        if (v instanceof Path p) return p.toString();
        if (v instanceof Record r) return recordMap(r);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), value(val)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(value(o));
            return out;
        }
        return String.valueOf(v); // vault text, lazy template values, ...: their display form
    }

    private static Map<String, Object> recordMap(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                out.put(snake(c.getName()), value(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
            }
        }
        return out;
    }

    /**
     * Standard JSON text of a JSON-ready value (maps, lists, strings, numbers, booleans, null): compact, or with a
     * two-space indent. Written here rather than with Jackson: the event stream starts writing with the run, and
     * a cold Jackson costs a quarter of a second of CPU on the first event.
     */
    public static String json(Object v, boolean indent) {
        StringBuilder b = new StringBuilder();
        write(b, v, indent ? 0 : -1);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int level) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof java.math.BigInteger) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            b.append(Double.isFinite(d) ? String.valueOf(n) : "null"); // JSON has no NaN or Infinity
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                first = separate(b, first, level);
                PyJson.string(b, String.valueOf(e.getKey()));
                b.append(level < 0 ? ":" : ": ");
                write(b, e.getValue(), level < 0 ? -1 : level + 1);
            }
            end(b, '}', level, m.isEmpty());
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                first = separate(b, first, level);
                write(b, o, level < 0 ? -1 : level + 1);
            }
            end(b, ']', level, c.isEmpty());
        } else {
            PyJson.string(b, String.valueOf(v));
        }
    }

    private static boolean separate(StringBuilder b, boolean first, int level) {
        if (!first) b.append(',');
        if (level >= 0) b.append('\n').append("  ".repeat(level + 1));
        return false;
    }

    private static void end(StringBuilder b, char c, int level, boolean empty) {
        if (level >= 0 && !empty) b.append('\n').append("  ".repeat(level));
        b.append(c);
    }

    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) b.append('_');
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
