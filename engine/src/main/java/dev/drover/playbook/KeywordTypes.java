package dev.drover.playbook;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the shape of keyword values at load time, as Ansible's FieldAttribute types do, so that
 * {@code when: {a: b}} is refused with its position instead of failing mid-run. A string is accepted
 * wherever a boolean or number is expected because it may be a template evaluated later.
 */
final class KeywordTypes {
    private KeywordTypes() {}

    private static final Set<String> BOOLEAN = Set.of("any_errors_fatal", "become", "check_mode", "diff",
            "ignore_errors", "ignore_unreachable", "no_log", "run_once", "delegate_facts", "force_handlers",
            "gather_facts", "allow_duplicates", "public");
    private static final Set<String> NUMBER = Set.of("async", "poll", "retries", "delay", "throttle", "timeout",
            "port", "gather_timeout", "max_fail_percentage");
    private static final Set<String> CONDITION = Set.of("when", "changed_when", "failed_when", "until");
    private static final Set<String> MAPPING = Set.of("loop_control");
    private static final Set<String> STRING_OR_LIST = Set.of("tags", "notify", "listen", "collections",
            "vars_files", "gather_subset");
    private static final Set<String> SCALAR = Set.of("register", "delegate_to", "become_user", "become_method",
            "become_flags", "become_exe", "connection", "remote_user", "debugger",
            "fact_path");

    /** Returns normally when {@code value} has a shape Ansible accepts for {@code key}. */
    static void check(String key, Object value, Position pos) {
        if (value == null) return; // an empty keyword means "not set", as in Ansible
        String what = "'" + key + "'";
        if (BOOLEAN.contains(key)) {
            if (!(value instanceof Boolean || value instanceof String)) {
                throw UserError.expected(pos, what, "a boolean (true/false) or a template", value);
            }
        } else if (NUMBER.contains(key)) {
            if (!(value instanceof Number || value instanceof String)) {
                throw UserError.expected(pos, what, "a number or a template", value);
            }
        } else if (CONDITION.contains(key)) {
            if (value instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> || o instanceof List<?>) {
                        throw UserError.expected(pos, what, "a list of conditions (strings)", o);
                    }
                }
            } else if (value instanceof Map<?, ?>) {
                throw UserError.expected(pos, what, "a condition (a string such as \"x is defined\") or a list of them",
                        value);
            }
        } else if (MAPPING.contains(key)) {
            if (!(value instanceof Map<?, ?>)) throw UserError.expected(pos, what, "a mapping", value);
        } else if (STRING_OR_LIST.contains(key)) {
            if (value instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?>) throw UserError.expected(pos, what, "a list of names", o);
                }
            } else if (!(value instanceof String) && !(key.equals("tags") ? false : value instanceof Number)) {
                throw UserError.expected(pos, what, "a name or a list of names", value);
            }
        } else if (SCALAR.contains(key)) {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw UserError.expected(pos, what, "a single value", value);
            }
        } else if (key.equals("vars")) {
            if (value instanceof List<?> list) {
                for (Object o : list) {
                    if (!(o instanceof Map<?, ?>)) throw UserError.expected(pos, what, "a mapping of variables", value);
                }
            } else if (!(value instanceof Map<?, ?>)) {
                throw UserError.expected(pos, what, "a mapping of variables", value);
            }
        } else if (key.equals("loop")) {
            if (!(value instanceof List<?> || value instanceof String)) {
                throw UserError.expected(pos, what, "a list or a template giving a list", value);
            }
        } else if (key.equals("environment")) {
            if (!(value instanceof Map<?, ?> || value instanceof List<?> || value instanceof String)) {
                throw UserError.expected(pos, what, "a mapping of variable names to values", value);
            }
        } else if (key.equals("module_defaults")) {
            if (!(value instanceof Map<?, ?> || value instanceof List<?>)) {
                throw UserError.expected(pos, what, "a mapping of module names to arguments", value);
            }
        } else if (key.equals("order") || key.equals("strategy")) {
            List<String> allowed = key.equals("order")
                    ? List.of("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle")
                    : List.of("linear", "free", "host_pinned", "debug");
            if (!(value instanceof String s) || (!s.contains("{{") && !allowed.contains(s))) {
                throw UserError.expected(pos, what, "one of " + String.join(", ", allowed), value);
            }
        } else if (key.equals("serial")) {
            if (value instanceof Map<?, ?> || value instanceof Boolean) {
                throw UserError.expected(pos, what, "a number, a percentage or a list of them", value);
            }
        } else if (key.equals("recovery")) {
            if (!(value instanceof Boolean || "always".equals(value))) {
                throw UserError.expected(pos, what, "true, false or always", value);
            }
        } else if (key.equals("outcomes")) {
            checkOutcomes(value, pos);
        } else if (key.equals("args")) {
            if (!(value instanceof Map<?, ?> || value instanceof String)) {
                throw UserError.expected(pos, what, "a mapping of module arguments", value);
            }
        }
    }

    private static final List<String> OUTCOME_STATUS = List.of("ok", "recoverable", "fatal");

    /** {@code outcomes:} maps exit codes (or {@code default}) to {@code {status, message}}. */
    private static void checkOutcomes(Object value, Position pos) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw UserError.expected(pos, "'outcomes'", "a mapping of exit codes (or default) to {status, message}", value);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object k = e.getKey();
            boolean code = k instanceof Number || k instanceof String s && s.matches("-?\\d+");
            if (!code && !"default".equals(k)) {
                throw UserError.expected(pos, "an 'outcomes' key", "an exit code (integer) or default", k);
            }
            if (!(e.getValue() instanceof Map<?, ?> o)) {
                throw UserError.expected(pos, "outcome " + k, "a mapping with status and message", e.getValue());
            }
            for (Object field : o.keySet()) {
                if (!"status".equals(field) && !"message".equals(field)) {
                    throw new UserError(pos, "outcome " + k + ": '" + field + "' is not a field of an outcome (expected status, message)"
                            + dev.drover.error.Suggest.hint(String.valueOf(field), List.of("status", "message")));
                }
            }
            Object status = o.get("status");
            if (!OUTCOME_STATUS.contains(status)) {
                throw UserError.expected(pos, "outcome " + k + " status", "one of ok, recoverable, fatal", status);
            }
        }
    }
}
