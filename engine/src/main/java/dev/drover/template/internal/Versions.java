package dev.drover.template.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible's {@code version} test: LooseVersion, StrictVersion and SemanticVersion comparisons. */
final class Versions {
    private Versions() {}

    private static final Map<String, String> OPS = Map.ofEntries(Map.entry("==", "eq"), Map.entry("=", "eq"),
            Map.entry("eq", "eq"), Map.entry("<", "lt"), Map.entry("lt", "lt"), Map.entry("<=", "le"), Map.entry("le", "le"),
            Map.entry(">", "gt"), Map.entry("gt", "gt"), Map.entry(">=", "ge"), Map.entry("ge", "ge"), Map.entry("!=", "ne"),
            Map.entry("<>", "ne"), Map.entry("ne", "ne"));

    static boolean compare(Object value, Args a) {
        Object version = a.get(0, "version", null);
        String op = a.str(1, "operator", "eq");
        Object strict = a.get(2, "strict", null);
        Object type = a.get(3, "version_type", null);
        if (strict != null && type != null) throw new EvalException("Cannot specify both 'strict' and 'version_type'");
        if (!Py.truthy(value)) throw new EvalException("Input version value cannot be empty");
        if (!Py.truthy(version)) throw new EvalException("Version parameter to compare against cannot be empty");
        String kind = Py.truthy(strict) ? "strict" : type == null ? "loose" : Py.str(type);
        String o = OPS.get(op);
        if (o == null) {
            throw new EvalException("Invalid operator type (" + op + "). Must be one of '==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'");
        }
        int c;
        try {
            c = switch (kind) {
                case "loose" -> cmpLoose(Py.str(value), Py.str(version), o);
                case "strict" -> cmpStrict(Py.str(value), Py.str(version));
                case "semver", "semantic" -> cmpSemver(Py.str(value), Py.str(version));
                default -> throw new EvalException("version_type must be one of loose, strict, semver, semantic (pep440 is not supported), not " + Py.repr(type));
            };
        } catch (EvalException e) {
            if (e.getMessage().startsWith("version_type")) throw e;
            throw new EvalException("Version comparison failed: " + e.getMessage());
        }
        return switch (o) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "lt" -> c < 0;
            case "le" -> c <= 0;
            case "gt" -> c > 0;
            default -> c >= 0;
        };
    }

    private static final Pattern LOOSE = Pattern.compile("\\d+|[a-z]+|\\.");

    /** distutils LooseVersion: numbers and lowercase words, other text kept as separate string parts. */
    static List<Object> loose(String v) {
        List<Object> parts = new ArrayList<>();
        Matcher m = LOOSE.matcher(v);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) parts.add(v.substring(last, m.start()));
            String t = m.group();
            if (!t.equals(".")) parts.add(Character.isDigit(t.charAt(0)) ? (Object) Py.normInt(new java.math.BigInteger(t)) : t);
            last = m.end();
        }
        if (last < v.length()) parts.add(v.substring(last));
        return parts;
    }

    private static int cmpLoose(String a, String b, String op) {
        List<Object> la = loose(a), lb = loose(b);
        if (Py.eq(la, lb)) return 0;
        return Py.compare(la, lb, "<");
    }

    private static final Pattern STRICT = Pattern.compile("^(\\d+)\\.(\\d+)(\\.(\\d+))?([ab](\\d+))?$");

    private static int cmpStrict(String a, String b) {
        long[] va = strict(a), vb = strict(b);
        for (int i = 0; i < 3; i++) if (va[i] != vb[i]) return Long.compare(va[i], vb[i]);
        if (va[3] == vb[3]) return Long.compare(va[4], vb[4]);
        if (va[3] == 0) return 1; // no pre-release sorts after any pre-release
        if (vb[3] == 0) return -1;
        return Long.compare(va[3], vb[3]);
    }

    /** major, minor, patch, prerelease letter (0 none), prerelease number. */
    private static long[] strict(String v) {
        Matcher m = STRICT.matcher(v);
        if (!m.matches()) throw new EvalException("invalid version number '" + v + "'");
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                m.group(4) == null ? 0 : Long.parseLong(m.group(4)), m.group(5) == null ? 0 : m.group(5).charAt(0),
                m.group(6) == null ? 0 : Long.parseLong(m.group(6))};
    }

    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private static int cmpSemver(String a, String b) {
        Matcher ma = SEMVER.matcher(a), mb = SEMVER.matcher(b);
        if (!ma.matches()) throw new EvalException("invalid semantic version '" + a + "'");
        if (!mb.matches()) throw new EvalException("invalid semantic version '" + b + "'");
        for (int g = 1; g <= 3; g++) {
            int c = new java.math.BigInteger(ma.group(g)).compareTo(new java.math.BigInteger(mb.group(g)));
            if (c != 0) return c;
        }
        String pa = ma.group(4), pb = mb.group(4);
        if (pa == null || pb == null) return pa == null ? (pb == null ? 0 : 1) : -1;
        String[] xa = pa.split("\\."), xb = pb.split("\\.");
        for (int i = 0; i < Math.min(xa.length, xb.length); i++) {
            boolean na = xa[i].matches("\\d+"), nb = xb[i].matches("\\d+");
            int c = na && nb ? new java.math.BigInteger(xa[i]).compareTo(new java.math.BigInteger(xb[i]))
                    : na ? -1 : nb ? 1 : xa[i].compareTo(xb[i]);
            if (c != 0) return c;
        }
        return Integer.compare(xa.length, xb.length);
    }
}
