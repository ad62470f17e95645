package dev.drover.agent.protocol;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Typed reads of payload fields, with messages that name the field when a peer sends the wrong shape. */
public final class Payload {
    private Payload() {}

    public static String str(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) return null;
        if (!(v instanceof String)) throw wrong(key, "a string", v);
        return (String) v;
    }

    public static String requireStr(Map<String, Object> p, String key) {
        String s = str(p, key);
        if (s == null) throw new ProtocolException("field '" + key + "' is missing");
        return s;
    }

    public static Long lng(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) return null;
        if (!(v instanceof Long)) throw wrong(key, "an integer", v);
        return (Long) v;
    }

    public static long lng(Map<String, Object> p, String key, long dflt) {
        Long l = lng(p, key);
        return l == null ? dflt : l;
    }

    public static boolean bool(Map<String, Object> p, String key, boolean dflt) {
        Object v = p.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean)) throw wrong(key, "a boolean", v);
        return (Boolean) v;
    }

    public static byte[] bytes(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) return null;
        if (!(v instanceof byte[])) throw wrong(key, "bytes", v);
        return (byte[]) v;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) return Collections.emptyList();
        if (!(v instanceof List)) throw wrong(key, "a list", v);
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) return Collections.emptyMap();
        if (!(v instanceof Map)) throw wrong(key, "a map", v);
        return (Map<String, Object>) v;
    }

    private static ProtocolException wrong(String key, String expected, Object got) {
        return new ProtocolException("field '" + key + "' should be " + expected + ", got " + got.getClass().getSimpleName());
    }
}
