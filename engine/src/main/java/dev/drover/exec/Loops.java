package dev.drover.exec;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code with_*} loops Ansible playbooks use, turned into item lists as Ansible's lookups produce them. */
final class Loops {
    private static final Pattern SHORTCUT = Pattern.compile("^(-?\\d+|0x[0-9a-f]+)(?:-(-?\\d+|0x[0-9a-f]+))?(?:/(-?\\d+|0x[0-9a-f]+))?(?::(.+))?$");

    private Loops() {}

    static List<Object> items(String lookup, Object raw, Templar t, Vars vars, Position pos, PlayContext play) {
        Object v = t.template(raw, vars, pos);
        switch (lookup) {
            case "items": {
                List<Object> out = new ArrayList<>();
                for (Object o : asList(v)) {
                    if (o instanceof List<?> l) out.addAll(l);
                    else out.add(o);
                }
                return out;
            }
            case "list":
                return asList(v);
            case "dict": {
                if (!(v instanceof Map<?, ?> m)) throw UserError.expected(pos, "with_dict", "a mapping", v);
                List<Object> out = new ArrayList<>();
                m.forEach((k, val) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("key", k);
                    e.put("value", val);
                    out.add(e);
                });
                return out;
            }
            case "indexed_items": {
                List<Object> out = new ArrayList<>();
                List<Object> l = asList(v);
                for (int i = 0; i < l.size(); i++) out.add(List.of(i, l.get(i)));
                return out;
            }
            case "together": {
                List<Object> lists = asList(v);
                int n = 0;
                for (Object o : lists) n = Math.max(n, asList(o).size());
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    List<Object> row = new ArrayList<>();
                    for (Object o : lists) {
                        List<Object> l = asList(o);
                        row.add(i < l.size() ? l.get(i) : null);
                    }
                    out.add(row);
                }
                return out;
            }
            case "nested":
            case "cartesian": {
                List<Object> out = new ArrayList<>();
                out.add(List.of());
                for (Object o : asList(v)) {
                    List<Object> next = new ArrayList<>();
                    for (Object prefix : out) {
                        for (Object x : asList(o)) {
                            List<Object> row = new ArrayList<>((List<?>) prefix);
                            row.add(x);
                            next.add(row);
                        }
                    }
                    out = next;
                }
                return out;
            }
            case "sequence":
                return sequence(String.valueOf(v), pos);
            default:
                throw new UserError(pos, "unsupported loop 'with_" + lookup + "': expected with_items, with_list, "
                        + "with_dict, with_sequence, with_indexed_items, with_together or with_nested; use 'loop'");
        }
    }

    private static List<Object> asList(Object v) {
        if (v instanceof List<?> l) return new ArrayList<>(l);
        if (v == null) return new ArrayList<>();
        List<Object> one = new ArrayList<>();
        one.add(v);
        return one;
    }

    /** {@code with_sequence}: "start=1 end=5 stride=1 format=%d", "count=3", or the "1-5/2:fmt" shortcut; items are strings. */
    static List<Object> sequence(String spec, Position pos) {
        long start = 1;
        Long end = null;
        Long count = null;
        long stride = 1;
        String format = "%d";
        Matcher m = SHORTCUT.matcher(spec.trim());
        if (m.matches()) {
            if (m.group(2) == null) {
                end = parse(m.group(1), pos);
            } else {
                start = parse(m.group(1), pos);
                end = parse(m.group(2), pos);
            }
            if (m.group(3) != null) stride = parse(m.group(3), pos);
            if (m.group(4) != null) format = m.group(4);
        } else {
            for (String part : spec.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq < 0) throw UserError.expected(pos, "with_sequence", "key=value pairs (start, end, count, stride, format)", part);
                String k = part.substring(0, eq);
                String val = part.substring(eq + 1);
                switch (k) {
                    case "start" -> start = parse(val, pos);
                    case "end" -> end = parse(val, pos);
                    case "count" -> count = parse(val, pos);
                    case "stride" -> stride = parse(val, pos);
                    case "format" -> format = val;
                    default -> throw UserError.expected(pos, "with_sequence", "start, end, count, stride or format", k);
                }
            }
        }
        if (count != null) {
            if (end != null) throw new UserError(pos, "with_sequence: can't use both count and end");
            end = start + (count - 1) * stride;
            if (count == 0) return new ArrayList<>();
        }
        if (end == null) throw new UserError(pos, "with_sequence: expected an end or a count");
        if (stride == 0) throw new UserError(pos, "with_sequence: stride must not be 0");
        List<Object> out = new ArrayList<>();
        if (stride > 0) {
            for (long i = start; i <= end; i += stride) out.add(String.format(format, i));
        } else {
            for (long i = start; i >= end; i += stride) out.add(String.format(format, i));
        }
        return out;
    }

    private static long parse(String s, Position pos) {
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : s.startsWith("0") && s.length() > 1 ? Long.parseLong(s, 8) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw UserError.expected(pos, "with_sequence", "an integer", s);
        }
    }
}
