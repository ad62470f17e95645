package dev.drover.template.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The Python str/list/dict methods playbooks call: {@code x.split(',')}, {@code d.items()}, {@code s.startswith('9')}. */
final class Methods {
    private Methods() {}

    static final Set<String> STR = Set.of("lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
            "startswith", "endswith", "replace", "format", "join", "find", "rfind", "index", "count", "capitalize", "title",
            "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "isnumeric", "isdecimal", "zfill", "ljust",
            "rjust", "center", "casefold", "swapcase", "partition", "rpartition", "removeprefix", "removesuffix");
    static final Set<String> LIST = Set.of("index", "count");
    static final Set<String> DICT = Set.of("items", "keys", "values", "get", "copy");

    static Py.Callable bind(Object obj, String name, Render r) {
        if (obj instanceof String s && STR.contains(name)) return (a, kw) -> str(s, name, new Args(a, kw, "str." + name + "()"));
        if (obj instanceof List<?> l && LIST.contains(name)) return (a, kw) -> list(l, name, new Args(a, kw, "list." + name + "()"));
        if (obj instanceof Map<?, ?> m && !(obj instanceof Render.Namespace) && DICT.contains(name)) {
            return (a, kw) -> dict(m, name, new Args(a, kw, "dict." + name + "()"));
        }
        return null;
    }

    private static Object dict(Map<?, ?> m, String name, Args a) {
        switch (name) {
            case "items": {
                List<Object> out = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.add(new Py.Tuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
                return out;
            }
            case "keys":
                return new ArrayList<>(m.keySet());
            case "values":
                return new ArrayList<>(m.values());
            case "copy":
                return new LinkedHashMap<>(m);
            default: {
                Object k = Py.findKey(m, a.required(0, null));
                return k == Py.NO_KEY ? a.get(1, null, null) : m.get(k);
            }
        }
    }

    private static Object list(List<?> l, String name, Args a) {
        Object x = a.required(0, null);
        if (name.equals("count")) {
            long n = 0;
            for (Object o : l) if (Py.eq(o, x)) n++;
            return n;
        }
        for (int i = 0; i < l.size(); i++) if (Py.eq(l.get(i), x)) return (long) i;
        throw new EvalException(Py.repr(x) + " is not in list");
    }

    static String stripChars(String s, String chars, boolean left, boolean right) {
        int a = 0, b = s.length();
        if (chars == null) {
            while (left && a < b && Character.isWhitespace(s.charAt(a))) a++;
            while (right && b > a && Character.isWhitespace(s.charAt(b - 1))) b--;
        } else {
            while (left && a < b && chars.indexOf(s.charAt(a)) >= 0) a++;
            while (right && b > a && chars.indexOf(s.charAt(b - 1)) >= 0) b--;
        }
        return s.substring(a, b);
    }

    static List<Object> split(String s, String sep, long max) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) break;
                if (max >= 0 && out.size() >= max) {
                    out.add(stripChars(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !Character.isWhitespace(s.charAt(j))) j++;
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw new EvalException("empty separator");
        int i = 0;
        while (max < 0 || out.size() < max) {
            int j = s.indexOf(sep, i);
            if (j < 0) break;
            out.add(s.substring(i, j));
            i = j + sep.length();
        }
        out.add(s.substring(i));
        return out;
    }

    private static boolean prefixTest(String s, Object arg, boolean start) {
        List<Object> options = arg instanceof List<?> l ? new ArrayList<>(l) : List.of(arg);
        for (Object o : options) {
            if (!(o instanceof String p)) throw new EvalException((start ? "startswith" : "endswith") + " first arg must be str or a tuple of str");
            if (start ? s.startsWith(p) : s.endsWith(p)) return true;
        }
        return false;
    }

    private static Object str(String s, String name, Args a) {
        switch (name) {
            case "lower": return s.toLowerCase(Locale.ROOT);
            case "upper": return s.toUpperCase(Locale.ROOT);
            case "casefold": return s.toLowerCase(Locale.ROOT);
            case "swapcase": {
                StringBuilder sb = new StringBuilder();
                for (char c : s.toCharArray()) sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                return sb.toString();
            }
            case "strip": return stripChars(s, a.str(0, "chars", null), true, true);
            case "lstrip": return stripChars(s, a.str(0, "chars", null), true, false);
            case "rstrip": return stripChars(s, a.str(0, "chars", null), false, true);
            case "split": return split(s, a.str(0, "sep", null), a.integer(1, "maxsplit", -1));
            case "rsplit": {
                String sep = a.str(0, "sep", null);
                long max = a.integer(1, "maxsplit", -1);
                if (max < 0) return split(s, sep, -1);
                // Split the reversed string, then put everything back the right way round.
                String rev = new StringBuilder(s).reverse().toString();
                List<Object> parts = split(rev, sep == null ? null : new StringBuilder(sep).reverse().toString(), max);
                List<Object> out = new ArrayList<>();
                for (int i = parts.size() - 1; i >= 0; i--) out.add(new StringBuilder((String) parts.get(i)).reverse().toString());
                return out;
            }
            case "splitlines": {
                List<Object> out = new ArrayList<>();
                boolean keep = a.bool(0, "keepends", false);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]").matcher(s);
                int last = 0;
                while (m.find()) {
                    out.add(s.substring(last, keep ? m.end() : m.start()));
                    last = m.end();
                }
                if (last < s.length()) out.add(s.substring(last));
                return out;
            }
            case "startswith": return prefixTest(s, a.required(0, null), true);
            case "endswith": return prefixTest(s, a.required(0, null), false);
            case "replace": {
                String old = a.str(0, null, ""), neu = a.str(1, null, "");
                long count = a.integer(2, "count", -1);
                if (count < 0) return s.replace(old, neu);
                StringBuilder sb = new StringBuilder();
                int i = 0;
                for (long n = 0; n < count; n++) {
                    int j = s.indexOf(old, i);
                    if (j < 0) break;
                    sb.append(s, i, j).append(neu);
                    i = j + old.length();
                }
                return sb.append(s.substring(i)).toString();
            }
            case "format": return Format.brace(s, a.positional(), a.keywords());
            case "join": {
                StringBuilder sb = new StringBuilder();
                List<Object> items = Py.iterate(a.required(0, null));
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof String item)) throw new EvalException("sequence item " + i + ": expected str instance, " + Py.typeName(items.get(i)) + " found");
                    if (i > 0) sb.append(s);
                    sb.append(item);
                }
                return sb.toString();
            }
            case "find": return (long) s.indexOf(a.str(0, null, ""));
            case "rfind": return (long) s.lastIndexOf(a.str(0, null, ""));
            case "index": {
                int i = s.indexOf(a.str(0, null, ""));
                if (i < 0) throw new EvalException("substring not found");
                return (long) i;
            }
            case "count": {
                String sub = a.str(0, null, "");
                if (sub.isEmpty()) return (long) s.length() + 1;
                long n = 0;
                for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
                return n;
            }
            case "capitalize": return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "title": return Filters.title(s);
            case "isdigit", "isnumeric", "isdecimal": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum": return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "islower": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "isupper": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "zfill": {
                int w = (int) a.integer(0, null, 0);
                if (s.length() >= w) return s;
                boolean sign = s.startsWith("-") || s.startsWith("+");
                String z = "0".repeat(w - s.length());
                return sign ? s.charAt(0) + z + s.substring(1) : z + s;
            }
            case "ljust", "rjust", "center": {
                int w = (int) a.integer(0, null, 0);
                String fill = a.str(1, null, " ");
                if (s.length() >= w) return s;
                int pad = w - s.length();
                if (name.equals("ljust")) return s + fill.repeat(pad);
                if (name.equals("rjust")) return fill.repeat(pad) + s;
                int left = pad / 2 + (pad & w & 1);
                return fill.repeat(left) + s + fill.repeat(pad - left);
            }
            case "partition", "rpartition": {
                String sep = a.str(0, null, "");
                int i = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (i < 0) {
                    return name.equals("partition") ? new Py.Tuple(List.of(s, "", "")) : new Py.Tuple(List.of("", "", s));
                }
                return new Py.Tuple(List.of(s.substring(0, i), sep, s.substring(i + sep.length())));
            }
            case "removeprefix": {
                String p = a.str(0, null, "");
                return s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix": {
                String p = a.str(0, null, "");
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            }
            default:
                throw new IllegalStateException(name);
        }
    }
}
