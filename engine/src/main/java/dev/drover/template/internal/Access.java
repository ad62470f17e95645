package dev.drover.template.internal;

import dev.drover.error.Suggest;
import dev.drover.template.internal.Ast.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Jinja2's getattr/getitem: {@code a.b} prefers methods then keys, {@code a['b']} keys then methods. */
final class Access {
    private Access() {}

    static Object attr(Object obj, String name, Expr objExpr, Render r) {
        if (obj instanceof Undefined) return obj; // Ansible: attributes of undefined stay undefined
        if (obj instanceof Render.Namespace ns) {
            if (ns.containsKey(name)) return ns.get(name);
            return missing(obj, name, objExpr);
        }
        Object m = Methods.bind(obj, name, r);
        if (m != null) return m;
        Object time = PyTime.attr(obj, name);
        if (time != null) return time;
        if (obj instanceof Map<?, ?> map) {
            Object k = Py.findKey(map, name);
            if (k != Py.NO_KEY) return map.get(k);
        }
        return missing(obj, name, objExpr);
    }

    static Object item(Object obj, Object key, Expr objExpr, Render r) {
        if (obj instanceof Undefined) return obj;
        if (obj instanceof Map<?, ?> map) {
            Object k = Py.findKey(map, key);
            if (k != Py.NO_KEY) return map.get(k);
        } else if (obj instanceof List<?> || obj instanceof String) {
            if (Py.isInt(key) || key instanceof Boolean) {
                List<Object> items = obj instanceof List<?> l ? new ArrayList<>(l) : Py.iterate(obj);
                long i = Py.toLong(key);
                if (i < 0) i += items.size();
                if (i >= 0 && i < items.size()) return items.get((int) i);
                String what = Ast.src(objExpr);
                return new Undefined(() -> "'" + what + "' has no item " + key + " (it has " + items.size() + ")");
            }
        }
        if (key instanceof String s) {
            Object m = Methods.bind(obj, s, r);
            if (m != null) return m;
        }
        return missing(obj, key, objExpr);
    }

    private static Undefined missing(Object obj, Object key, Expr objExpr) {
        String what = Ast.src(objExpr);
        return new Undefined(() -> {
            String hint = "";
            if (obj instanceof Map<?, ?> map && key instanceof String s) {
                TreeSet<String> keys = new TreeSet<>();
                for (Object k : map.keySet()) keys.add(String.valueOf(k));
                hint = Suggest.hint(s, keys);
            }
            return "'" + what + "' has no attribute " + Py.repr(key) + hint;
        });
    }

    static Object slice(Object obj, Object start, Object stop, Object step) {
        List<Object> items = obj instanceof List<?> l ? new ArrayList<>(l) : Py.iterate(obj);
        int n = items.size();
        long st = step == null ? 1 : Py.toLong(step);
        if (st == 0) throw new EvalException("slice step cannot be zero");
        List<Object> out = new ArrayList<>();
        if (st > 0) {
            long a = start == null ? 0 : clamp(Py.toLong(start), n, 0, n);
            long b = stop == null ? n : clamp(Py.toLong(stop), n, 0, n);
            for (long i = a; i < b; i += st) out.add(items.get((int) i));
        } else {
            long a = start == null ? n - 1 : clamp(Py.toLong(start), n, -1, n - 1);
            long b = stop == null ? -1 : clamp(Py.toLong(stop), n, -1, n - 1);
            for (long i = a; i > b; i += st) out.add(items.get((int) i));
        }
        if (obj instanceof String) {
            StringBuilder sb = new StringBuilder();
            for (Object o : out) sb.append(o);
            return sb.toString();
        }
        return obj instanceof Py.Tuple ? new Py.Tuple(out) : out;
    }

    private static long clamp(long i, int n, long lo, long hi) {
        if (i < 0) i += n;
        return Math.max(lo, Math.min(hi, i));
    }
}
