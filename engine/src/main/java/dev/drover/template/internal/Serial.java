package dev.drover.template.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.text.JsonStrings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** JSON and YAML as Python's json module and PyYAML (through Ansible's filters) write and read them. */
final class Serial {
    private Serial() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** json.dumps(value, indent=indent, sort_keys=sort, ensure_ascii=ascii). */
    static String json(Object v, Integer indent, boolean sort, boolean ascii) {
        StringBuilder sb = new StringBuilder();
        json(sb, v, indent, sort, ascii, 0);
        return sb.toString();
    }

    private static void json(StringBuilder sb, Object v, Integer indent, boolean sort, boolean ascii, int level) {
        if (v instanceof Undefined u) throw u.error();
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof String s) {
            JsonStrings.quote(sb, s, ascii);
        } else if (Py.isFloat(v)) {
            double d = Py.toDouble(v);
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Py.floatRepr(d));
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                newline(sb, indent, level + 1);
                json(sb, it.next(), indent, sort, ascii, level + 1);
                if (it.hasNext()) sb.append(indent == null ? ", " : ",");
            }
            newline(sb, indent, level);
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            Map<String, Object> entries = sort ? new TreeMap<>(Py::compareCodePoints) : new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) entries.put(jsonKey(e.getKey()), e.getValue());
            sb.append('{');
            Iterator<Map.Entry<String, Object>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Object> e = it.next();
                newline(sb, indent, level + 1);
                JsonStrings.quote(sb, e.getKey(), ascii);
                sb.append(": ");
                json(sb, e.getValue(), indent, sort, ascii, level + 1);
                if (it.hasNext()) sb.append(indent == null ? ", " : ",");
            }
            newline(sb, indent, level);
            sb.append('}');
        } else {
            JsonStrings.quote(sb, v.toString(), ascii);
        }
    }

    private static String jsonKey(Object k) {
        if (k == null) return "null";
        if (k instanceof Boolean b) return b ? "true" : "false";
        return Py.str(k);
    }

    private static void newline(StringBuilder sb, Integer indent, int level) {
        if (indent != null) sb.append('\n').append(" ".repeat(indent * level));
    }

    static Object fromJson(String s) {
        try {
            return plain(MAPPER.readValue(s, Object.class));
        } catch (Exception e) {
            throw new EvalException("from_json: not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** yaml.dump as Ansible's to_yaml (flow style for leaf collections) and to_nice_yaml (block, indent 4). */
    static String yaml(Object v, Boolean flow, int indent, int width) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(flow == null ? DumperOptions.FlowStyle.AUTO : flow ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
        o.setIndent(indent);
        o.setAllowUnicode(true);
        o.setWidth(width);
        o.setSplitLines(true);
        Yaml yaml = new Yaml(new Representer(o), o);
        return yaml.dump(forYaml(v));
    }

    /** PyYAML sorts keys by default; tuples and other lists become plain lists. */
    private static Object forYaml(Object v) {
        if (v instanceof Undefined u) throw u.error();
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>((a, b) -> Py.compare(a, b, "<"));
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(Py.normInt(e.getKey()), forYaml(e.getValue()));
            return new LinkedHashMap<>(out);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) out.add(forYaml(o));
            return out;
        }
        return Py.normInt(v);
    }

    static Object fromYaml(String s, boolean all) {
        try {
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            if (!all) return plain(yaml.load(s));
            List<Object> docs = new ArrayList<>();
            for (Object d : yaml.loadAll(s)) docs.add(plain(d));
            return docs;
        } catch (Exception e) {
            throw new EvalException("from_yaml: not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(Py.normInt(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) out.add(plain(o));
            return out;
        }
        return Py.normInt(v);
    }
}
