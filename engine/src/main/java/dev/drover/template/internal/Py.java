package dev.drover.template.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python value semantics over plain Java values (String, Integer/Long/BigInteger, Double, Boolean, null,
 * List, Map): truthiness, str()/repr(), equality and ordering. Ansible users expect exactly Python's answers.
 */
public final class Py {
    private Py() {}

    /** A Python tuple: a list that prints with parentheses (zip, dict.items()). */
    public static final class Tuple extends ArrayList<Object> {
        public Tuple(Collection<?> items) {
            super(items);
        }
    }

    public static boolean isInt(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte
                || o instanceof BigInteger;
    }

    /** Python numbers include bool (True + 1 == 2). */
    public static boolean isNumber(Object o) {
        return isInt(o) || o instanceof Double || o instanceof Float || o instanceof Boolean || o instanceof BigDecimal;
    }

    public static boolean isFloat(Object o) {
        return o instanceof Double || o instanceof Float || o instanceof BigDecimal;
    }

    public static long toLong(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        return number(o).longValue();
    }

    public static double toDouble(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        return number(o).doubleValue();
    }

    private static Number number(Object o) {
        if (o instanceof Number n) return n;
        if (o instanceof Undefined u) throw u.error();
        throw new EvalException("expected a number, found " + repr(o) + " (" + typeName(o) + ")");
    }

    /** Integers come in from YAML as Integer, Long or BigInteger; results are always Long. */
    public static Object normInt(Object o) {
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) return ((Number) o).longValue();
        if (o instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        return o;
    }

    public static boolean truthy(Object o) {
        if (o instanceof Undefined u) {
            if (u.soft()) return false;
            throw u.error();
        }
        if (o == null) return false;
        if (o instanceof Boolean b) return b;
        if (o instanceof String s) return !s.isEmpty();
        if (isFloat(o)) return toDouble(o) != 0.0;
        if (o instanceof BigInteger b) return b.signum() != 0;
        if (o instanceof Number n) return n.longValue() != 0;
        if (o instanceof Collection<?> c) return !c.isEmpty();
        if (o instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    /** Python's str(). */
    public static String str(Object o) {
        if (o instanceof String s) return s;
        return repr(o);
    }

    /** Python's repr(): what lists and dicts show for their items. */
    public static String repr(Object o) {
        if (o instanceof Undefined u) throw u.error();
        if (o == null) return "None";
        if (o instanceof Boolean b) return b ? "True" : "False";
        if (o instanceof String s) return reprString(s);
        if (o instanceof Double || o instanceof Float) return floatRepr(((Number) o).doubleValue());
        if (o instanceof BigDecimal d) return floatRepr(d.doubleValue());
        if (o instanceof Number n) return n.toString();
        if (o instanceof Tuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(repr(t.get(i)));
            }
            return sb.append(t.size() == 1 ? ",)" : ")").toString();
        }
        if (o instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                sb.append(repr(it.next()));
                if (it.hasNext()) sb.append(", ");
            }
            return sb.append(']').toString();
        }
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return o.toString();
    }

    static String reprString(String s) {
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

    /** Python's float repr: shortest round-trip digits, fixed notation for exponents -4..15. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = bd.toPlainString();
            if (!plain.contains(".")) plain += ".0";
            return sign + plain;
        }
        String mant = digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "");
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    public static boolean eq(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (isNumber(a) && isNumber(b)) {
            if (isFloat(a) || isFloat(b)) return toDouble(a) == toDouble(b);
            return toBig(a).equals(toBig(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof Tuple) != (b instanceof Tuple) || la.size() != lb.size()) return false;
            for (int i = 0; i < la.size(); i++) if (!eq(la.get(i), lb.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) return false;
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object k = findKey(mb, e.getKey());
                if (k == NO_KEY || !eq(e.getValue(), mb.get(k))) return false;
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static final Object NO_KEY = new Object();

    /** The key of {@code m} that equals {@code key} the Python way (1 == 1.0 == True), or NO_KEY. */
    public static Object findKey(Map<?, ?> m, Object key) {
        if (key instanceof Undefined u) throw u.error();
        if (m.containsKey(key)) return key;
        Object n = normInt(key);
        if (n != key && m.containsKey(n)) return n;
        if (isNumber(key)) {
            for (Object k : m.keySet()) if (isNumber(k) && eq(k, key)) return k;
        }
        return NO_KEY;
    }

    static BigInteger toBig(Object o) {
        if (o instanceof BigInteger b) return b;
        return BigInteger.valueOf(toLong(o));
    }

    public static int compare(Object a, Object b, String op) {
        Integer dates = PyTime.compare(a, b);
        if (dates != null) return Integer.signum(dates);
        if (isNumber(a) && isNumber(b)) {
            if (isFloat(a) || isFloat(b)) return Double.compare(toDouble(a), toDouble(b));
            return toBig(a).compareTo(toBig(b));
        }
        if (a instanceof String sa && b instanceof String sb) return Integer.signum(compareCodePoints(sa, sb));
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!eq(la.get(i), lb.get(i))) return compare(la.get(i), lb.get(i), op);
            }
            return Integer.compare(la.size(), lb.size());
        }
        throw new EvalException("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return ca - cb;
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return (a.length() - i) - (b.length() - j);
    }

    public static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw new EvalException("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof Map<?, ?> m) return findKey(m, item) != NO_KEY;
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (eq(o, item)) return true;
            return false;
        }
        throw new EvalException("argument of type '" + typeName(container) + "' is not iterable");
    }

    public static String typeName(Object o) {
        if (o == null) return "NoneType";
        if (o instanceof Undefined) return "AnsibleUndefined";
        if (o instanceof Boolean) return "bool";
        if (o instanceof String) return "str";
        if (isInt(o)) return "int";
        if (isFloat(o)) return "float";
        if (o instanceof Tuple) return "tuple";
        if (o instanceof List<?>) return "list";
        if (o instanceof Map<?, ?>) return "dict";
        if (o instanceof Collection<?>) return "set";
        if (o instanceof Callable) return "function";
        if (o instanceof PyTime.DateTime) return "datetime";
        if (o instanceof PyTime.Delta) return "timedelta";
        return o.getClass().getSimpleName();
    }

    /** Python iteration: strings by character, dicts by key. */
    public static List<Object> iterate(Object o) {
        if (o instanceof Undefined u) throw u.error();
        List<Object> out = new ArrayList<>();
        if (o instanceof String s) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else if (o instanceof Map<?, ?> m) {
            out.addAll(m.keySet());
        } else if (o instanceof Collection<?> c) {
            out.addAll(c);
        } else {
            throw new EvalException("'" + typeName(o) + "' object is not iterable");
        }
        return out;
    }

    public static int len(Object o) {
        if (o instanceof String s) return s.codePointCount(0, s.length());
        if (o instanceof Collection<?> c) return c.size();
        if (o instanceof Map<?, ?> m) return m.size();
        if (o instanceof Undefined u) throw u.error();
        throw new EvalException("object of type '" + typeName(o) + "' has no len()");
    }

    /** Something callable from an expression: a global function or a bound method. */
    public interface Callable {
        Object call(List<Object> args, Map<String, Object> kwargs);
    }
}
