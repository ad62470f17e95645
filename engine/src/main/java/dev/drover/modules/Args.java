package dev.drover.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads of validated arguments (ArgSpec already converted them; these only cast with null handling). */
final class Args {
    private Args() {}

    static String str(Map<String, Object> a, String k) {
        Object v = a.get(k);
        return v == null ? null : v.toString();
    }

    static boolean bool(Map<String, Object> a, String k) {
        Object v = a.get(k);
        return v != null && ArgSpec.toBool(null, v);
    }

    static Integer integer(Map<String, Object> a, String k) {
        Object v = a.get(k);
        if (v == null) return null;
        if (v instanceof Number n) return n.intValue();
        return Integer.parseInt(v.toString().trim());
    }

    static List<String> strings(Map<String, Object> a, String k) {
        Object v = a.get(k);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v instanceof List<?> l) {
            for (Object o : l) out.add(String.valueOf(o));
        } else {
            out.add(v.toString());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dict(Map<String, Object> a, String k) {
        Object v = a.get(k);
        return v instanceof Map ? (Map<String, Object>) v : null;
    }
}
