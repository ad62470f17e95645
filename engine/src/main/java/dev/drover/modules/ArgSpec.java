package dev.drover.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module's arguments: names, types, defaults, choices, aliases. {@link #validate} turns the templated
 * arguments into a map with every declared name, or explains what is wrong in one sentence.
 */
public record ArgSpec(List<Arg> args, boolean freeForm) {

    public enum Type { STR, INT, BOOL, PATH, LIST, DICT, RAW }

    public record Arg(String name, Type type, boolean required, Object defaultValue, List<String> choices,
                      List<String> aliases, boolean noLog) {}

    public static Builder builder() {
        return new Builder();
    }

    /** Name under which free-form text ({@code command: echo hi}) arrives, as in Ansible. */
    public static final String RAW_PARAMS = "_raw_params";

    /** Validates and normalises; throws {@link IllegalArgumentException} with a user-facing sentence. */
    public Map<String, Object> validate(Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> rest = new LinkedHashMap<>(given);
        for (Arg a : args) {
            Object v = null;
            boolean present = false;
            for (String n : names(a)) {
                if (rest.containsKey(n)) {
                    if (present) throw new IllegalArgumentException("'" + a.name() + "' is given twice (as an alias)");
                    v = rest.remove(n);
                    present = true;
                }
            }
            if (!present || v == null) {
                if (a.required()) throw new IllegalArgumentException("missing required argument '" + a.name() + "'");
                v = a.defaultValue();
            } else {
                v = convert(a, v);
            }
            if (v != null && !a.choices().isEmpty() && !a.choices().contains(String.valueOf(v))) {
                throw new IllegalArgumentException("argument '" + a.name() + "' must be one of " + a.choices()
                        + ", found '" + v + "'");
            }
            out.put(a.name(), v);
        }
        if (freeForm && rest.containsKey(RAW_PARAMS)) out.put(RAW_PARAMS, rest.remove(RAW_PARAMS));
        if (!rest.isEmpty()) {
            List<String> known = new ArrayList<>();
            for (Arg a : args) known.addAll(names(a));
            String unknown = rest.keySet().iterator().next();
            throw new IllegalArgumentException("unsupported argument '" + unknown + "'; supported: " + known
                    + dev.drover.error.Suggest.hint(unknown, known));
        }
        return out;
    }

    /** Names that must never be shown (passwords): the executor redacts them from results and logs. */
    public Set<String> noLogNames() {
        Set<String> s = new java.util.HashSet<>();
        for (Arg a : args) if (a.noLog()) s.add(a.name());
        return s;
    }

    private static List<String> names(Arg a) {
        List<String> n = new ArrayList<>();
        n.add(a.name());
        n.addAll(a.aliases());
        return n;
    }

    private static Object convert(Arg a, Object v) {
        switch (a.type()) {
            case STR:
            case PATH:
                if (v instanceof Map || v instanceof List) throw wrong(a, "a string", v);
                return v instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(v);
            case INT:
                if (v instanceof Number n) return n.longValue() == n.intValue() ? (Object) n.intValue() : n.longValue();
                try {
                    return Integer.parseInt(String.valueOf(v).trim());
                } catch (NumberFormatException e) {
                    throw wrong(a, "an integer", v);
                }
            case BOOL:
                return toBool(a, v);
            case LIST:
                if (v instanceof List) return v;
                if (v instanceof String s) {
                    List<Object> parts = new ArrayList<>();
                    for (String p : s.split(",")) if (!p.isBlank()) parts.add(p.trim());
                    return parts;
                }
                return List.of(v);
            case DICT:
                if (v instanceof Map) return v;
                throw wrong(a, "a mapping", v);
            default:
                return v;
        }
    }

    /** Ansible's boolean reading: yes/no, on/off, true/false, 1/0 (any case). */
    public static Boolean toBool(Arg a, Object v) {
        if (v instanceof Boolean b) return b;
        String s = String.valueOf(v).trim().toLowerCase();
        switch (s) {
            case "yes": case "on": case "true": case "1": case "y": case "t": case "1.0":
                return true;
            case "no": case "off": case "false": case "0": case "n": case "f": case "0.0": case "":
                return false;
            default:
                throw wrong(a, "a boolean (yes/no, true/false)", v);
        }
    }

    private static IllegalArgumentException wrong(Arg a, String expected, Object v) {
        return new IllegalArgumentException("argument '" + (a == null ? "?" : a.name()) + "': expected " + expected
                + ", found " + dev.drover.error.UserError.describe(v));
    }

    public static final class Builder {
        private final List<Arg> args = new ArrayList<>();
        private boolean freeForm;

        public Builder str(String name) {
            return add(name, Type.STR, false, null);
        }

        public Builder add(String name, Type type, boolean required, Object def, String... aliases) {
            args.add(new Arg(name, type, required, def, List.of(), List.of(aliases), false));
            return this;
        }

        public Builder choice(String name, Object def, String... choices) {
            args.add(new Arg(name, Type.STR, false, def, List.of(choices), List.of(), false));
            return this;
        }

        public Builder secret(String name) {
            args.add(new Arg(name, Type.STR, false, null, List.of(), List.of(), true));
            return this;
        }

        public Builder freeForm() {
            this.freeForm = true;
            return this;
        }

        public ArgSpec build() {
            return new ArgSpec(List.copyOf(args), freeForm);
        }
    }
}
