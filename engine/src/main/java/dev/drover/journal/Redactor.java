package dev.drover.journal;

import dev.drover.yaml.VaultText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes secrets before anything reaches the journal: values of keys named like passwords or secrets (at any
 * depth), vault-encrypted values, and whole results of {@code no_log} tasks.
 */
public final class Redactor {
    public static final String HIDDEN = "********";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|secret|_pass$|^pass$|token|private_key).*");

    private Redactor() {}

    public static boolean secretName(String key) {
        return SECRET.matcher(key).matches();
    }

    /** A copy of {@code value} with secrets replaced by {@link #HIDDEN}; maps and lists are copied deeply. */
    public static Object redact(Object value) {
        if (value instanceof VaultText) return HIDDEN;
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), secretName(String.valueOf(k)) && v != null ? HIDDEN : redact(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(redact(o));
            return out;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) return value;
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> redactMap(Map<String, Object> m) {
        return m == null ? null : (Map<String, Object>) redact(m);
    }
}
