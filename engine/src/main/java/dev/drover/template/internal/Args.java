package dev.drover.template.internal;

import java.util.List;
import java.util.Map;

/** Arguments of a filter, test or method call, read Python-style: by position or by keyword. */
public record Args(List<Object> positional, Map<String, Object> keywords, String owner, String subject) {
    public static final Object NONE = new Object();

    public Args(List<Object> positional, Map<String, Object> keywords, String owner) {
        this(positional, keywords, owner, "value");
    }

    public int size() {
        return positional.size();
    }

    /** Positional argument {@code i} (0-based, after the filtered value) or keyword {@code name}, else {@code dflt}. */
    public Object get(int i, String name, Object dflt) {
        if (name != null && keywords.containsKey(name)) return keywords.get(name);
        if (i >= 0 && i < positional.size()) return positional.get(i);
        return dflt;
    }

    public boolean has(int i, String name) {
        return (name != null && keywords.containsKey(name)) || (i >= 0 && i < positional.size());
    }

    public Object required(int i, String name) {
        Object v = get(i, name, NONE);
        if (v == NONE) throw new EvalException(owner + ": missing required argument" + (name == null ? "" : " '" + name + "'"));
        return v;
    }

    public String str(int i, String name, String dflt) {
        Object v = get(i, name, dflt);
        return v == null ? null : Py.str(v);
    }

    public boolean bool(int i, String name, boolean dflt) {
        Object v = get(i, name, dflt);
        return Py.truthy(v);
    }

    public long integer(int i, String name, long dflt) {
        Object v = get(i, name, dflt);
        if (!Py.isNumber(v)) throw new EvalException(owner + ": expected an integer argument, found " + Py.repr(v));
        return Py.toLong(v);
    }
}
