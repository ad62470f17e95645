package dev.drover.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Read-only copies that keep insertion order and allow null values (YAML has them; Map.copyOf does not). */
final class Maps {
    private Maps() {}

    static <V> Map<String, V> frozen(Map<String, V> in) {
        if (in == null || in.isEmpty()) return Map.of();
        return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }
}
