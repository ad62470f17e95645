package dev.drover.inventory;

import dev.drover.text.JsonStrings;
import dev.drover.yaml.VaultText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way ansible-inventory prints them: {@code json.dumps(sort_keys=True, indent=4,
 * ensure_ascii=False)} for --list/--host, and Python's {@code str()} for {@code --graph --vars}.
 */
public final class PyFormat {
    private PyFormat() {}

    /** Python's json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False). */
    public static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        json(value, sb, 0);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb, int indent) {
        if (v instanceof VaultText vt) v = Map.of("__ansible_vault", vt.ciphertext());
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : floatRepr(d));
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) keys.add(String.valueOf(k));
            keys.sort(null);
            sb.append("{\n");
            for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
                String k = it.next();
                sb.append(" ".repeat((indent + 1) * 4));
                JsonStrings.quote(sb, k, false);
                sb.append(": ");
                json(m.get(k), sb, indent + 1);
                if (it.hasNext()) sb.append(',');
                sb.append('\n');
            }
            sb.append(" ".repeat(indent * 4)).append('}');
        } else if (v instanceof Iterable<?> list) {
            Iterator<?> it = list.iterator();
            if (!it.hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            while (it.hasNext()) {
                sb.append(" ".repeat((indent + 1) * 4));
                json(it.next(), sb, indent + 1);
                if (it.hasNext()) sb.append(',');
                sb.append('\n');
            }
            sb.append(" ".repeat(indent * 4)).append(']');
        } else {
            JsonStrings.quote(sb, v.toString(), false);
        }
    }

    /** Python's str(value): strings as they are, everything else as repr. */
    public static String str(Object v) {
        return v instanceof String s ? s : repr(v);
    }

    /** Python's repr(value) for the data types inventories hold. */
    public static String repr(Object v) {
        if (v instanceof VaultText vt) return repr(vt.ciphertext());
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : floatRepr(d);
        }
        if (v instanceof Number n) return n.toString();
        if (v instanceof String s) return stringRepr(s);
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, val) -> parts.add(repr(k) + ": " + repr(val)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof PyTuple t) {
            List<String> parts = new ArrayList<>();
            t.forEach(x -> parts.add(repr(x)));
            return "(" + String.join(", ", parts) + (parts.size() == 1 ? ",)" : ")");
        }
        if (v instanceof Iterable<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(repr(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return stringRepr(v.toString());
    }

    private static String stringRepr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.append(q).toString();
    }

    /** Python's float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
    static String floatRepr(double d) {
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp >= -5 + 1 && exp < 16) {
            String plain = bd.abs().toPlainString();
            if (!plain.contains(".")) plain += ".0";
            return sign + plain;
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
