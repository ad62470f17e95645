package dev.drover.modules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A module's return values, as Ansible names them. Immutable once built. */
public record ModuleResult(Map<String, Object> values) {

    public ModuleResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ModuleResult ok(boolean changed) {
        return of(changed, Map.of());
    }

    public static ModuleResult of(boolean changed, Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", changed);
        m.putAll(extra);
        m.putIfAbsent("failed", false);
        return new ModuleResult(m);
    }

    public static ModuleResult failed(String msg) {
        return failed(msg, Map.of());
    }

    public static ModuleResult failed(String msg, Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.putAll(extra);
        m.put("failed", true);
        m.put("msg", msg);
        return new ModuleResult(m);
    }

    /** Check mode: the module would not run (Ansible: "skipped", with a message). */
    public static ModuleResult skipped(String msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.put("skipped", true);
        m.put("msg", msg);
        return new ModuleResult(m);
    }

    public boolean failed() {
        return Boolean.TRUE.equals(values.get("failed"));
    }

    public boolean changed() {
        return Boolean.TRUE.equals(values.get("changed"));
    }

    public boolean skipped() {
        return Boolean.TRUE.equals(values.get("skipped"));
    }
}
