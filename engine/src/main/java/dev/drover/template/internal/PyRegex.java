package dev.drover.template.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python {@code re} patterns and replacement strings on java.util.regex: {@code (?P<name>)}, {@code (?P=name)},
 * {@code \Z}, literal braces, and {@code \1}/{@code \g<name>} in replacements.
 */
final class PyRegex {
    final Pattern pattern;
    /** Python group name to the Java name it was given (Java names allow no underscore). */
    private final Map<String, String> names;

    private PyRegex(Pattern pattern, Map<String, String> names) {
        this.pattern = pattern;
        this.names = names;
    }

    static PyRegex compile(String py, boolean ignoreCase, boolean multiline) {
        Map<String, String> names = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char n = py.charAt(i + 1);
                sb.append(n == 'Z' ? "\\z" : "\\" + n);
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') inClass = false;
                if (c == '[') sb.append('\\');
                sb.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                sb.append(c);
                if (i + 1 < py.length() && py.charAt(i + 1) == '^') sb.append(py.charAt(++i));
                if (i + 1 < py.length() && py.charAt(i + 1) == ']') {
                    sb.append("\\]");
                    i++;
                }
                continue;
            }
            if (py.startsWith("(?P<", i)) {
                int end = py.indexOf('>', i);
                String name = py.substring(i + 4, end);
                String jname = "g" + names.size() + "x" + name.replaceAll("[^A-Za-z0-9]", "");
                names.put(name, jname);
                sb.append("(?<").append(jname).append('>');
                i = end;
                continue;
            }
            if (py.startsWith("(?P=", i)) {
                int end = py.indexOf(')', i);
                String jname = names.get(py.substring(i + 4, end));
                if (jname == null) throw new EvalException("invalid regular expression " + Py.repr(py) + ": unknown group name");
                sb.append("\\k<").append(jname).append('>');
                i = end;
                continue;
            }
            if (c == '{' && !py.substring(i).matches("(?s)\\{\\d*(,\\d*)?}.*")) {
                sb.append("\\{");
                continue;
            }
            if (c == '}' && !looksLikeQuantifierEnd(sb)) {
                sb.append("\\}");
                continue;
            }
            sb.append(c);
        }
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0) | (multiline ? Pattern.MULTILINE : 0);
        try {
            return new PyRegex(Pattern.compile(sb.toString(), flags), names);
        } catch (PatternSyntaxException e) {
            throw new EvalException("invalid regular expression " + Py.repr(py) + ": " + e.getDescription());
        }
    }

    private static boolean looksLikeQuantifierEnd(StringBuilder sb) {
        int open = sb.lastIndexOf("{");
        return open >= 0 && (open == 0 || sb.charAt(open - 1) != '\\') && sb.substring(open).matches("\\{\\d*(,\\d*)?");
    }

    /** Group by number or Python name; null when it did not take part. */
    String group(Matcher m, Object ref) {
        if (ref instanceof String name && !name.matches("\\d+")) {
            String j = names.get(name);
            if (j == null) throw new EvalException("unknown group name '" + name + "'");
            return m.group(j);
        }
        int g = Integer.parseInt(String.valueOf(ref));
        if (g > m.groupCount()) throw new EvalException("invalid group reference " + g);
        return m.group(g);
    }

    /** re.sub(pattern, repl, s, count). */
    String sub(String s, String repl, long count) {
        Matcher m = pattern.matcher(s);
        StringBuilder out = new StringBuilder();
        int last = 0;
        long n = 0;
        while ((count <= 0 || n < count) && m.find()) {
            out.append(s, last, m.start());
            expand(m, repl, out);
            last = m.end();
            n++;
        }
        out.append(s.substring(last));
        return out.toString();
    }

    private void expand(Matcher m, String repl, StringBuilder out) {
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c != '\\' || i + 1 >= repl.length()) {
                out.append(c);
                continue;
            }
            char n = repl.charAt(++i);
            if (Character.isDigit(n)) {
                int j = i + 1;
                if (j < repl.length() && Character.isDigit(repl.charAt(j))) j++;
                String g = group(m, repl.substring(i, j));
                if (g != null) out.append(g);
                i = j - 1;
            } else if (n == 'g' && i + 1 < repl.length() && repl.charAt(i + 1) == '<') {
                int end = repl.indexOf('>', i);
                String g = group(m, repl.substring(i + 2, end));
                if (g != null) out.append(g);
                i = end;
            } else {
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(n);
                }
            }
        }
    }

    /** re.findall: whole matches, group 1, or tuples of all groups. */
    List<Object> findall(String s) {
        Matcher m = pattern.matcher(s);
        List<Object> out = new ArrayList<>();
        while (m.find()) {
            if (m.groupCount() == 0) {
                out.add(m.group());
            } else if (m.groupCount() == 1) {
                out.add(m.group(1) == null ? "" : m.group(1));
            } else {
                List<Object> t = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) t.add(m.group(g) == null ? "" : m.group(g));
                out.add(new Py.Tuple(t));
            }
        }
        return out;
    }

    /** re.escape (Python 3.7+: only special characters). */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }
}
