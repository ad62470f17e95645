package dev.drover.exec;

import dev.drover.report.Event.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's result dictionaries: reading their flags and combining loop items. */
final class Results {
    static final String CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

    private Results() {}

    static boolean flag(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(String.valueOf(v));
    }

    static Status status(Map<String, Object> r) {
        if (flag(r, "unreachable")) return Status.UNREACHABLE;
        if (flag(r, "failed")) return Status.FAILED;
        if (flag(r, "skipped")) return Status.SKIPPED;
        return flag(r, "changed") ? Status.CHANGED : Status.OK;
    }

    static Map<String, Object> failed(String msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.put("failed", true);
        m.put("msg", msg);
        return m;
    }

    static Map<String, Object> unreachable(String msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.put("msg", msg);
        m.put("unreachable", true);
        return m;
    }

    static Map<String, Object> skipped(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.put("skip_reason", reason);
        m.put("skipped", true);
        return m;
    }

    /** A loop's combined result, as Ansible registers it. */
    static Map<String, Object> loop(List<Map<String, Object>> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean changed = false;
        boolean failed = false;
        boolean allSkipped = !items.isEmpty();
        for (Map<String, Object> r : items) {
            changed |= flag(r, "changed");
            failed |= flag(r, "failed");
            allSkipped &= flag(r, "skipped");
        }
        m.put("changed", changed);
        if (failed) {
            m.put("failed", true);
            m.put("msg", "One or more items failed");
        } else {
            m.put("msg", "All items completed");
        }
        if (allSkipped) {
            m.put("skipped", true);
            m.put("msg", "All items skipped");
        }
        m.put("results", new ArrayList<>(items));
        return m;
    }

    static Map<String, Object> censor(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("censored", CENSORED);
        m.put("changed", flag(r, "changed"));
        if (r.containsKey("failed")) m.put("failed", flag(r, "failed"));
        if (r.containsKey("skipped")) m.put("skipped", flag(r, "skipped"));
        if (r.containsKey("unreachable")) m.put("unreachable", flag(r, "unreachable"));
        return m;
    }
}
