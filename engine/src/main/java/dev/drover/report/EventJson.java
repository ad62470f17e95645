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
