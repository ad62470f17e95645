package dev.drover.template.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** Jinja2's and Ansible's filters, with their Python semantics. */
final class Filters {
    private Filters() {}

    interface Fn {
        Object apply(Render r, Object value, Args a);
    }

    /** Filters that receive an undefined value instead of failing on it. */
    static boolean acceptsUndefined(String name) {
        return name.equals("default") || name.equals("d") || name.equals("mandatory");
    }

    static Map<String, Fn> all() {
        Map<String, Fn> f = new HashMap<>();
        Fn dflt = (r, v, a) -> {
            Object d = a.get(0, "default_value", "");
            boolean bool = a.bool(1, "boolean", false);
            if (v instanceof Undefined || (bool && !Py.truthy(v))) return d;
            return v;
        };
        f.put("default", dflt);
        f.put("d", dflt);
        f.put("mandatory", (r, v, a) -> {
            if (v instanceof Undefined) {
                Object msg = a.get(0, "msg", null);
                throw new EvalException(msg != null ? Py.str(msg) : "Mandatory variable '" + a.subject() + "'  not defined.");
            }
            return v;
        });
        f.put("ternary", (r, v, a) -> {
            if (v == null && a.has(2, "none_val")) return a.get(2, "none_val", null);
            return Py.truthy(v) ? a.get(0, "true_val", null) : a.get(1, "false_val", null);
        });
        f.put("bool", (r, v, a) -> toBool(v));
        f.put("int", (r, v, a) -> toInt(v, a.get(0, "default", 0L), (int) a.integer(1, "base", 10)));
        f.put("float", (r, v, a) -> toFloat(v, a.get(0, "default", 0.0)));
        f.put("string", (r, v, a) -> Py.str(v));
        f.put("list", (r, v, a) -> Py.iterate(v));
        f.put("type_debug", (r, v, a) -> Py.typeName(v));
        f.put("to_json", (r, v, a) -> Serial.json(v, indent(a.get(-1, "indent", null)), a.bool(-1, "sort_keys", false), a.bool(-1, "ensure_ascii", true)));
        f.put("to_nice_json", (r, v, a) -> Serial.json(v, (int) a.integer(-1, "indent", 4), a.bool(-1, "sort_keys", true), a.bool(-1, "ensure_ascii", true)));
        f.put("from_json", (r, v, a) -> Serial.fromJson(Py.str(v)));
        f.put("to_yaml", (r, v, a) -> Serial.yaml(v, flowStyle(a.get(-1, "default_flow_style", null)), (int) a.integer(-1, "indent", 2), (int) a.integer(-1, "width", 80)));
        f.put("to_nice_yaml", (r, v, a) -> Serial.yaml(v, Boolean.FALSE, (int) a.integer(0, "indent", 4), (int) a.integer(1, "width", 80)));
        f.put("from_yaml", (r, v, a) -> v instanceof String s ? Serial.fromYaml(s, false) : v);
        f.put("from_yaml_all", (r, v, a) -> v instanceof String s ? Serial.fromYaml(s, true) : v);
        f.put("regex_search", Filters::regexSearch);
        f.put("regex_replace", (r, v, a) -> PyRegex.compile(a.str(0, "pattern", ""), a.bool(2, "ignorecase", false), a.bool(3, "multiline", false))
                .sub(Py.str(v), a.str(1, "replacement", ""), a.integer(4, "count", 0)));
        f.put("regex_findall", (r, v, a) -> PyRegex.compile(a.str(0, "regex", ""), a.bool(2, "ignorecase", false), a.bool(1, "multiline", false)).findall(Py.str(v)));
        f.put("regex_escape", (r, v, a) -> {
            String type = a.str(0, "re_type", "python");
            if (!type.equals("python")) throw new EvalException("regex_escape: re_type " + Py.repr(type) + " is not supported");
            return PyRegex.escape(Py.str(v));
        });
        f.put("version_compare", (r, v, a) -> Versions.compare(v, a));
        f.put("version", (r, v, a) -> Versions.compare(v, a));
        f.put("combine", Filters::combine);
        f.put("dict2items", (r, v, a) -> {
            if (!(v instanceof Map<?, ?> m)) throw new EvalException("dict2items requires a dictionary, got " + Py.typeName(v) + " instead.");
            String k = a.str(0, "key_name", "key"), val = a.str(1, "value_name", "value");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        });
        f.put("items2dict", (r, v, a) -> {
            String k = a.str(0, "key_name", "key"), val = a.str(1, "value_name", "value");
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object item : Py.iterate(v)) {
                if (!(item instanceof Map<?, ?> m)) throw new EvalException("items2dict requires a list of dictionaries, got " + Py.typeName(item) + " inside the list");
                if (Py.findKey(m, k) == Py.NO_KEY || Py.findKey(m, val) == Py.NO_KEY) {
                    throw new EvalException("items2dict: each item needs a '" + k + "' and a '" + val + "' key, found " + Py.repr(item));
                }
                out.put(m.get(Py.findKey(m, k)), m.get(Py.findKey(m, val)));
            }
            return out;
        });
        f.put("items", (r, v, a) -> v == null ? List.of() : Methods.bind(v, "items", r).call(List.of(), Map.of()));
        f.put("quote", (r, v, a) -> shellQuote(v == null ? "" : Py.str(v)));
        f.put("basename", (r, v, a) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        });
        f.put("dirname", (r, v, a) -> {
            String s = Py.str(v);
            int i = s.lastIndexOf('/');
            if (i < 0) return "";
            String head = s.substring(0, i + 1);
            return head.matches("/+") ? head : head.replaceAll("/+$", "");
        });
        f.put("splitext", (r, v, a) -> {
            String s = Py.str(v);
            int slash = s.lastIndexOf('/');
            int dot = s.lastIndexOf('.');
            int start = slash + 1;
            while (start < s.length() && s.charAt(start) == '.') start++;
            if (dot < start) return new Py.Tuple(List.of(s, ""));
            return new Py.Tuple(List.of(s.substring(0, dot), s.substring(dot)));
        });
        f.put("expanduser", (r, v, a) -> {
            String s = Py.str(v);
            return s.equals("~") || s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s;
        });
        f.put("realpath", (r, v, a) -> r.env.playbookDir.resolve(Py.str(v)).toAbsolutePath().normalize().toString());
        f.put("path_join", (r, v, a) -> {
            List<Object> parts = v instanceof String ? List.of(v) : Py.iterate(v);
            String out = "";
            for (Object p : parts) {
                String s = Py.str(p);
                out = s.startsWith("/") || out.isEmpty() ? s : out.endsWith("/") ? out + s : out + "/" + s;
            }
            return out;
        });
        f.put("hash", (r, v, a) -> digest(Py.str(v), a.str(0, "hashtype", "sha1")));
        f.put("checksum", (r, v, a) -> digest(Py.str(v), "sha1"));
        f.put("sha1", (r, v, a) -> digest(Py.str(v), "sha1"));
        f.put("md5", (r, v, a) -> digest(Py.str(v), "md5"));
        f.put("b64encode", (r, v, a) -> Base64.getEncoder().encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8)));
        f.put("b64decode", (r, v, a) -> {
            try {
                return new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new EvalException("b64decode: not valid base64: " + e.getMessage());
            }
        });
        f.put("flatten", (r, v, a) -> {
            Object levels = a.get(0, "levels", null);
            return flatten(Py.iterate(v), levels == null ? -1 : Py.toLong(levels), a.bool(1, "skip_nulls", true));
        });
        f.put("zip", (r, v, a) -> zip(v, a, false));
        f.put("zip_longest", (r, v, a) -> zip(v, a, true));
        f.put("min", (r, v, a) -> minMax(v, a, true));
        f.put("max", (r, v, a) -> minMax(v, a, false));
        f.put("unique", (r, v, a) -> unique(Py.iterate(v), a.bool(0, "case_sensitive", false), a.str(1, "attribute", null), r));
        f.put("union", (r, v, a) -> {
            List<Object> all = new ArrayList<>(Py.iterate(v));
            all.addAll(Py.iterate(a.required(0, null)));
            return unique(all, true, null, r);
        });
        f.put("intersect", (r, v, a) -> setOp(v, a.required(0, null), true));
        f.put("difference", (r, v, a) -> setOp(v, a.required(0, null), false));
        f.put("symmetric_difference", (r, v, a) -> {
            Object other = a.required(0, null);
            List<Object> out = setOp(v, other, false);
            out.addAll(setOp(other, v, false));
            return unique(out, true, null, r);
        });
        f.put("select", (r, v, a) -> select(r, v, a, false, false));
        f.put("reject", (r, v, a) -> select(r, v, a, true, false));
        f.put("selectattr", (r, v, a) -> select(r, v, a, false, true));
        f.put("rejectattr", (r, v, a) -> select(r, v, a, true, true));
        f.put("map", Filters::map);
        f.put("first", (r, v, a) -> {
            List<Object> l = Py.iterate(v);
            return l.isEmpty() ? new Undefined(() -> "first: the sequence is empty") : l.get(0);
        });
        f.put("last", (r, v, a) -> {
            List<Object> l = Py.iterate(v);
            return l.isEmpty() ? new Undefined(() -> "last: the sequence is empty") : l.get(l.size() - 1);
        });
        f.put("length", (r, v, a) -> (long) Py.len(v));
        f.put("count", (r, v, a) -> (long) Py.len(v));
        f.put("join", (r, v, a) -> {
            String sep = a.str(0, "d", "");
            String attr = a.str(1, "attribute", null);
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (Object o : Py.iterate(v)) {
                if (!first) sb.append(sep);
                first = false;
                sb.append(Py.str(attr == null ? o : attribute(o, attr, r)));
            }
            return sb.toString();
        });
        f.put("lower", (r, v, a) -> Py.str(v).toLowerCase(Locale.ROOT));
        f.put("upper", (r, v, a) -> Py.str(v).toUpperCase(Locale.ROOT));
        f.put("capitalize", (r, v, a) -> {
            String s = Py.str(v);
            return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
        });
        f.put("title", (r, v, a) -> title(Py.str(v)));
        f.put("replace", (r, v, a) -> {
            List<Object> args = new ArrayList<>(List.of(a.required(0, "old"), a.required(1, "new")));
            if (a.has(2, "count") && a.get(2, "count", null) != null) args.add(a.get(2, "count", null));
            return Methods.bind(Py.str(v), "replace", r).call(args, Map.of());
        });
        f.put("trim", (r, v, a) -> Methods.stripChars(Py.str(v), a.str(0, "chars", null), true, true));
        f.put("split", (r, v, a) -> Methods.split(Py.str(v), a.str(0, "sep", null), a.integer(1, "maxsplit", -1)));
        f.put("sort", Filters::sort);
        f.put("reverse", (r, v, a) -> {
            if (v instanceof String s) return new StringBuilder(s).reverse().toString();
            List<Object> l = Py.iterate(v);
            java.util.Collections.reverse(l);
            return l;
        });
        f.put("sum", (r, v, a) -> {
            String attr = a.str(0, "attribute", null);
            Object total = a.get(1, "start", 0L);
            for (Object o : Py.iterate(v)) total = Ops.binary("+", total, attr == null ? o : attribute(o, attr, r));
            return total;
        });
        f.put("abs", (r, v, a) -> {
            if (!Py.isNumber(v)) throw new EvalException("bad operand type for abs(): '" + Py.typeName(v) + "'");
            return Py.isFloat(v) ? (Object) Math.abs(Py.toDouble(v)) : Ops.intResult(Py.toBig(v).abs());
        });
        f.put("round", (r, v, a) -> {
            int prec = (int) a.integer(0, "precision", 0);
            String method = a.str(1, "method", "common");
            // The exact binary value with half-even rounding: Python's round() (round(2.5) == 2, round(2.675, 2) == 2.67).
            java.math.RoundingMode mode = switch (method) {
                case "common" -> java.math.RoundingMode.HALF_EVEN;
                case "ceil" -> java.math.RoundingMode.CEILING;
                case "floor" -> java.math.RoundingMode.FLOOR;
                default -> throw new EvalException("round: method must be common, ceil or floor");
            };
            return new java.math.BigDecimal(Py.toDouble(v)).setScale(prec, mode).doubleValue();
        });
        f.put("dictsort", (r, v, a) -> {
            if (!(v instanceof Map<?, ?> m)) throw new EvalException("dictsort: expected a dictionary, found " + Py.typeName(v));
            boolean cs = a.bool(0, "case_sensitive", false);
            boolean byValue = "value".equals(a.str(1, "by", "key"));
            List<Object> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) items.add(new Py.Tuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
            items.sort((x, y) -> Py.compare(sortKey(((List<?>) x).get(byValue ? 1 : 0), cs), sortKey(((List<?>) y).get(byValue ? 1 : 0), cs), "<"));
            if (a.bool(2, "reverse", false)) java.util.Collections.reverse(items);
            return items;
        });
        f.put("format", (r, v, a) -> Format.percent(Py.str(v), a.keywords().isEmpty() ? new Py.Tuple(a.positional()) : a.keywords()));
        f.put("indent", (r, v, a) -> {
            Object w = a.get(0, "width", 4L);
            String pad = w instanceof String s ? s : " ".repeat((int) Py.toLong(w));
            boolean first = a.bool(1, "first", false), blank = a.bool(2, "blank", false);
            String s = Py.str(v);
            String[] lines = s.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) sb.append('\n');
                boolean indentIt = (i > 0 || first) && (blank || !lines[i].isBlank());
                sb.append(indentIt ? pad : "").append(lines[i]);
            }
            return sb.toString();
        });
        f.put("center", (r, v, a) -> Methods.bind(Py.str(v), "center", r).call(List.of(a.get(0, "width", 80L)), Map.of()));
        f.put("wordcount", (r, v, a) -> (long) Methods.split(Py.str(v), null, -1).size());
        f.put("batch", (r, v, a) -> {
            long n = a.integer(0, "linecount", 1);
            if (n <= 0) throw new EvalException("batch: the size must be positive");
            List<Object> out = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (Object o : Py.iterate(v)) {
                cur.add(o);
                if (cur.size() == n) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            }
            if (!cur.isEmpty()) {
                if (a.has(1, "fill_with")) while (cur.size() < n) cur.add(a.get(1, "fill_with", null));
                out.add(cur);
            }
            return out;
        });
        f.put("groupby", (r, v, a) -> {
            String attr = a.str(0, "attribute", null);
            Map<Object, List<Object>> groups = new java.util.TreeMap<>((x, y) -> Py.compare(x, y, "<"));
            for (Object o : Py.iterate(v)) groups.computeIfAbsent(attribute(o, attr, r), k -> new ArrayList<>()).add(o);
            List<Object> out = new ArrayList<>();
            groups.forEach((k, l) -> out.add(new Py.Tuple(java.util.Arrays.asList(k, l))));
            return out;
        });
        f.put("extract", (r, v, a) -> {
            Object container = a.required(0, "container");
            Object out = Access.item(container, v, new Ast.Name("container"), r);
            Object more = a.get(1, "morekeys", null);
            if (more != null) {
                for (Object k : more instanceof List<?> l ? l : List.of(more)) out = Access.item(out, k, new Ast.Name("container"), r);
            }
            return out;
        });
        f.put("log", (r, v, a) -> {
            Object base = a.get(0, "base", null);
            return base == null ? Math.log(Py.toDouble(v)) : Math.log(Py.toDouble(v)) / Math.log(Py.toDouble(base));
        });
        f.put("pow", (r, v, a) -> Math.pow(Py.toDouble(v), Py.toDouble(a.required(0, "y"))));
        f.put("root", (r, v, a) -> {
            double base = Py.toDouble(a.get(0, "base", 2L));
            return base == 2 ? Math.sqrt(Py.toDouble(v)) : Math.pow(Py.toDouble(v), 1.0 / base);
        });
        f.put("escape", (r, v, a) -> Py.str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;"));
        f.put("e", f.get("escape"));
        f.put("human_to_bytes", (r, v, a) -> humanToBytes(Py.str(v), a.str(0, "default_unit", null), a.bool(1, "isbits", false)));
        f.put("random", (r, v, a) -> {
            if (Py.isInt(v)) return java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, Py.toLong(v)));
            List<Object> l = Py.iterate(v);
            if (l.isEmpty()) throw new EvalException("random: the sequence is empty");
            return l.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(l.size()));
        });
        f.put("shuffle", (r, v, a) -> {
            List<Object> l = Py.iterate(v);
            java.util.Collections.shuffle(l);
            return l;
        });
        f.put("to_datetime", (r, v, a) -> PyTime.parse(Py.str(v), a.str(0, "format", "%Y-%m-%d %H:%M:%S")));
        f.put("strftime", (r, v, a) -> PyTime.strftime(Py.str(v), a.get(0, "second", null), a.bool(1, "utc", false)));
        f.put("product", (r, v, a) -> {
            List<Object> out = new ArrayList<>();
            out.add(new ArrayList<>());
            List<Object> lists = new ArrayList<>();
            lists.add(v);
            lists.addAll(a.positional());
            for (Object l : lists) {
                List<Object> next = new ArrayList<>();
                for (Object prefix : out) {
                    for (Object item : Py.iterate(l)) {
                        List<Object> t = new ArrayList<>((List<?>) prefix);
                        t.add(item);
                        next.add(t);
                    }
                }
                out = next;
            }
            List<Object> tuples = new ArrayList<>();
            for (Object t : out) tuples.add(new Py.Tuple((List<?>) t));
            return tuples;
        });
        f.put("subelements", (r, v, a) -> {
            String key = a.str(0, "subelements", "");
            boolean skipMissing = a.bool(1, "skip_missing", false);
            List<Object> out = new ArrayList<>();
            for (Object item : Py.iterate(v)) {
                Object sub = attribute(item, key, r);
                if (sub instanceof Undefined) {
                    if (skipMissing) continue;
                    throw new EvalException("could not find '" + key + "' key in iterated item " + Py.repr(item));
                }
                if (!(sub instanceof List<?> subs)) throw new EvalException("the key " + key + " should point to a list, got " + Py.repr(sub));
                for (Object s : subs) out.add(new Py.Tuple(java.util.Arrays.asList(item, s)));
            }
            return out;
        });
        f.put("human_readable", (r, v, a) -> humanReadable(Py.toDouble(toFloat(v, 0.0)), a.bool(0, "isbits", false), a.str(1, "unit", null)));
        return f;
    }

    // ------------------------------------------------------------------ helpers

    /** Ansible's bytes_to_human: the largest unit not above the size, two decimals ("1.50 KB", "512.00 Bytes"). */
    private static String humanReadable(double size, boolean isbits, String unit) {
        String base = isbits ? "bits" : "Bytes";
        String units = "YZEPTGMK";
        for (int i = 0; i < units.length(); i++) {
            double limit = Math.pow(2, 10 * (8 - i));
            char u = units.charAt(i);
            if ((unit == null && size >= limit) || (unit != null && Character.toUpperCase(unit.charAt(0)) == u)) {
                return Format.fixed(size / limit, 2, false) + " " + u + base.charAt(0);
            }
        }
        return Format.fixed(size, 2, false) + " " + base;
    }

    static Object toBool(Object v) {
        if (v instanceof Boolean || v == null) return v; // Ansible's bool filter passes None through
        Object x = v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
        if (x instanceof String s) return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
        return Py.isNumber(x) && Py.toDouble(x) == 1.0;
    }

    static Object toInt(Object v, Object dflt, int base) {
        try {
            if (v instanceof String s) {
                String t = s.strip().replace("_", "");
                if (base != 10) {
                    String low = t.toLowerCase(Locale.ROOT);
                    if ((base == 16 && low.startsWith("0x")) || (base == 8 && low.startsWith("0o")) || (base == 2 && low.startsWith("0b"))) t = t.substring(2);
                }
                try {
                    return Ops.intResult(new java.math.BigInteger(t, base));
                } catch (NumberFormatException e) {
                    return (long) Double.parseDouble(t);
                }
            }
            if (v instanceof Boolean b) return b ? 1L : 0L;
            if (Py.isFloat(v)) return (long) Py.toDouble(v);
            if (Py.isInt(v)) return Py.normInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
        return dflt;
    }

    static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        if (Py.isNumber(v)) return Py.toDouble(v);
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.matches("[+-]?(inf|infinity|nan)")) return Double.parseDouble(t.replace("inf", "Infinity").replace("Infinityinity", "Infinity").replace("nan", "NaN"));
            try {
                return Double.parseDouble(t.replace("_", ""));
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    /** PyYAML's default_flow_style: None (flow for leaf collections), False (block), True (flow). */
    private static Boolean flowStyle(Object v) {
        return v == null ? null : Py.truthy(v);
    }

    private static Integer indent(Object v) {
        return v == null ? null : (int) Py.toLong(v);
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static final java.util.regex.Pattern SHELL_SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Python's shlex.quote. */
    static String shellQuote(String s) {
        if (s.isEmpty()) return "''";
        if (SHELL_SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    private static String digest(String s, String type) {
        String alg = switch (type) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new EvalException("hash: unsupported hash type " + Py.repr(type) + " (md5, sha1, sha224, sha256, sha384, sha512)");
        };
        try {
            byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) sb.append(String.format("%02x", b));
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new EvalException("hash: " + alg + " is not available");
        }
    }

    private static Object regexSearch(Render r, Object v, Args a) {
        String regex = a.str(0, null, "");
        List<Object> groups = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            String arg = Py.str(a.positional().get(i));
            Matcher g = java.util.regex.Pattern.compile("\\\\g<(\\S+)>").matcher(arg);
            Matcher n = java.util.regex.Pattern.compile("\\\\(\\d+)").matcher(arg);
            if (arg.startsWith("\\g") && g.lookingAt()) groups.add(g.group(1));
            else if (arg.startsWith("\\") && n.lookingAt()) groups.add(n.group(1));
            else throw new EvalException("regex_search: Unknown argument " + Py.repr(arg));
        }
        PyRegex re = PyRegex.compile(regex, a.bool(-1, "ignorecase", false), a.bool(-1, "multiline", false));
        Matcher m = re.pattern.matcher(Py.str(v));
        if (!m.find()) return null;
        if (groups.isEmpty()) return m.group();
        List<Object> out = new ArrayList<>();
        for (Object g : groups) out.add(re.group(m, g));
        return out;
    }

    private static Object combine(Render r, Object v, Args a) {
        boolean recursive = a.bool(-1, "recursive", false);
        String listMerge = a.str(-1, "list_merge", "replace");
        for (String k : a.keywords().keySet()) {
            if (!k.equals("recursive") && !k.equals("list_merge")) throw new EvalException("combine: unexpected keyword argument '" + k + "'");
        }
        List<Object> dicts = new ArrayList<>();
        dicts.add(v);
        dicts.addAll(a.positional());
        List<Object> flat = flatten(dicts, -1, false);
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object d : flat) {
            if (!(d instanceof Map<?, ?> m)) throw new EvalException("combine: expected dictionaries, found " + Py.typeName(d));
            merge(out, m, recursive, listMerge);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<Object, Object> into, Map<?, ?> from, boolean recursive, String listMerge) {
        for (Map.Entry<?, ?> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            Object neu = e.getValue();
            if (recursive && old instanceof Map<?, ?> om && neu instanceof Map<?, ?> nm) {
                Map<Object, Object> copy = new LinkedHashMap<>(om);
                merge(copy, nm, true, listMerge);
                into.put(e.getKey(), copy);
            } else if (old instanceof List<?> ol && neu instanceof List<?> nl && !listMerge.equals("replace")) {
                List<Object> merged = new ArrayList<>();
                switch (listMerge) {
                    case "keep" -> merged.addAll(ol);
                    case "append" -> { merged.addAll(ol); merged.addAll(nl); }
                    case "prepend" -> { merged.addAll(nl); merged.addAll(ol); }
                    case "append_rp" -> { for (Object o : ol) if (!Py.contains(nl, o)) merged.add(o); merged.addAll(nl); }
                    case "prepend_rp" -> { merged.addAll(nl); for (Object o : ol) if (!Py.contains(nl, o)) merged.add(o); }
                    default -> throw new EvalException("combine: list_merge must be one of replace, keep, append, prepend, append_rp, prepend_rp");
                }
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), neu);
            }
        }
    }

    static List<Object> flatten(List<?> items, long levels, boolean skipNulls) {
        List<Object> out = new ArrayList<>();
        for (Object o : items) {
            if (skipNulls && (o == null || "None".equals(o) || "null".equals(o))) continue;
            if (o instanceof List<?> l && levels != 0) {
                out.addAll(flatten(l, levels - 1, skipNulls));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    private static Object zip(Object v, Args a, boolean longest) {
        List<List<Object>> lists = new ArrayList<>();
        lists.add(Py.iterate(v));
        for (Object o : a.positional()) lists.add(Py.iterate(o));
        int n = longest ? lists.stream().mapToInt(List::size).max().orElse(0) : lists.stream().mapToInt(List::size).min().orElse(0);
        Object fill = a.get(-1, "fillvalue", null);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> t = new ArrayList<>();
            for (List<Object> l : lists) t.add(i < l.size() ? l.get(i) : fill);
            out.add(new Py.Tuple(t));
        }
        return out;
    }

    private static Object sortKey(Object o, boolean caseSensitive) {
        return !caseSensitive && o instanceof String s ? s.toLowerCase(Locale.ROOT) : o;
    }

    private static Object minMax(Object v, Args a, boolean min) {
        List<Object> l = Py.iterate(v);
        if (l.isEmpty()) return new Undefined(() -> (min ? "min" : "max") + ": the sequence is empty");
        String attr = a.str(-1, "attribute", null);
        boolean cs = a.bool(-1, "case_sensitive", false);
        Object best = l.get(0);
        for (Object o : l) {
            Object ko = sortKey(attr == null ? o : attribute(o, attr, null), cs);
            Object kb = sortKey(attr == null ? best : attribute(best, attr, null), cs);
            int c = Py.compare(ko, kb, "<");
            if (min ? c < 0 : c > 0) best = o;
        }
        return best;
    }

    private static List<Object> unique(List<Object> items, boolean caseSensitive, String attr, Render r) {
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (Object o : items) {
            Object k = sortKey(attr == null ? o : attribute(o, attr, r), caseSensitive);
            if (!Py.contains(seen, k)) {
                seen.add(k);
                out.add(o);
            }
        }
        return out;
    }

    private static List<Object> setOp(Object a, Object b, boolean keepCommon) {
        List<Object> other = Py.iterate(b);
        List<Object> out = new ArrayList<>();
        for (Object o : Py.iterate(a)) {
            if (Py.contains(other, o) == keepCommon && !Py.contains(out, o)) out.add(o);
        }
        return out;
    }

    /** item.attr or item['attr'], with dots for nested attributes ("a.b"), as Jinja2's make_attrgetter. */
    static Object attribute(Object item, String path, Render r) {
        Object cur = item;
        for (String part : path.split("\\.")) {
            Object key = part.matches("\\d+") ? (Object) Long.parseLong(part) : part;
            cur = Access.item(cur, key, new Ast.Name("item"), r);
            if (cur instanceof Undefined) return cur;
        }
        return cur;
    }

    private static Object select(Render r, Object v, Args a, boolean reject, boolean byAttr) {
        List<Object> pos = a.positional();
        int off = 0;
        String attr = null;
        if (byAttr) {
            if (pos.isEmpty()) throw new EvalException((reject ? "rejectattr" : "selectattr") + ": missing attribute name");
            attr = Py.str(pos.get(0));
            off = 1;
        }
        String test = pos.size() > off ? Py.str(pos.get(off)) : null;
        List<Object> testArgs = pos.size() > off + 1 ? pos.subList(off + 1, pos.size()) : List.of();
        List<Object> out = new ArrayList<>();
        for (Object o : Py.iterate(v)) {
            Object x = attr == null ? o : attribute(o, attr, r);
            boolean ok = test == null ? Py.truthy(x) : r.applyTest(test, x, testArgs, a.keywords());
            if (ok != reject) out.add(o);
        }
        return out;
    }

    private static Object map(Render r, Object v, Args a) {
        List<Object> out = new ArrayList<>();
        if (a.keywords().containsKey("attribute")) {
            String attr = Py.str(a.keywords().get("attribute"));
            boolean hasDefault = a.keywords().containsKey("default");
            for (Object o : Py.iterate(v)) {
                Object x = attribute(o, attr, r);
                if (x instanceof Undefined && hasDefault) x = a.keywords().get("default");
                out.add(x);
            }
            return out;
        }
        if (a.positional().isEmpty()) throw new EvalException("map: expected a filter name or attribute=");
        String filter = Py.str(a.positional().get(0));
        List<Object> fargs = a.positional().subList(1, a.positional().size());
        for (Object o : Py.iterate(v)) out.add(r.applyFilter(filter, o, fargs, a.keywords()));
        return out;
    }

    private static Object sort(Render r, Object v, Args a) {
        boolean reverse = a.bool(0, "reverse", false);
        boolean cs = a.bool(1, "case_sensitive", false);
        String attr = a.str(2, "attribute", null);
        List<Object> l = Py.iterate(v);
        List<String> attrs = attr == null ? null : List.of(attr.split(","));
        l.sort((x, y) -> {
            if (attrs == null) return Py.compare(sortKey(x, cs), sortKey(y, cs), "<");
            for (String at : attrs) {
                int c = Py.compare(sortKey(attribute(x, at.strip(), r), cs), sortKey(attribute(y, at.strip(), r), cs), "<");
                if (c != 0) return c;
            }
            return 0;
        });
        if (reverse) java.util.Collections.reverse(l);
        return l;
    }

    private static final Set<String> UNITS = Set.of("", "B", "K", "M", "G", "T", "P", "E", "Z", "Y");

    /** Ansible's human_to_bytes: "10M" → 10485760, "1.5 GB" → 1610612736. */
    private static Object humanToBytes(String s, String defaultUnit, boolean isbits) {
        Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d*\\.?\\d*)\\s*([A-Za-z]+)?\\s*$").matcher(s);
        if (!m.matches() || m.group(1).isEmpty()) throw new EvalException("human_to_bytes() can't interpret following string: " + s);
        double num = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? (defaultUnit == null ? "" : defaultUnit) : m.group(2);
        String prefix = unit.isEmpty() ? "" : unit.substring(0, 1).toUpperCase(Locale.ROOT);
        if (!UNITS.contains(prefix)) throw new EvalException("human_to_bytes() failed to convert " + s + ". Value is not a valid string (unknown unit)");
        int power = "BKMGTPEZY".indexOf(prefix.isEmpty() ? "B" : prefix);
        return (long) Math.round(num * Math.pow(1024, power));
    }

    static Collection<String> names(Map<String, Fn> f) {
        return f.keySet();
    }
}
