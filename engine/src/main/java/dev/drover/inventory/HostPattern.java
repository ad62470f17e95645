package dev.drover.inventory;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parsed host pattern ({@code hosts:}, {@code --limit}), evaluated like Ansible's InventoryManager:
 * <ul>
 *   <li>terms are separated by {@code ,} or (when there is no comma) {@code :};</li>
 *   <li>union terms first, then {@code &} intersections, then {@code !} exclusions, whatever their position
 *       (no union term means {@code all});</li>
 *   <li>a term is an exact host name, or matches group names and, when it has wildcards or is a regex or
 *       matched no group, host names: {@code db*}, {@code *.example.com}, {@code ~regex} (matched from the
 *       start of the name);</li>
 *   <li>a term may end with a subscript over its hosts: {@code g[0]}, {@code g[-1]}, {@code g[0:2]} (end
 *       included), {@code g[1:]};</li>
 *   <li>{@code localhost}, {@code 127.0.0.1}, {@code ::1} name the implicit localhost when not in the
 *       inventory.</li>
 * </ul>
 */
public final class HostPattern {
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");
    private static final Pattern TERM = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");

    private final String text;
    private final List<String> terms;

    private HostPattern(String text, List<String> terms) {
        this.text = text;
        this.terms = terms;
    }

    /** Parses a pattern; unbalanced brackets, bad subscripts and bad regexes are refused here. */
    public static HostPattern parse(String pattern) {
        if (pattern == null) throw new UserError(null, "host pattern: expected a pattern, found nothing");
        List<String> terms = split(pattern);
        for (String t : terms) check(pattern, t);
        return new HostPattern(pattern, terms);
    }

    /** Parses a {@code --limit} value: a pattern whose {@code @file} terms are replaced by the file's lines. */
    public static HostPattern parseLimit(String limit, Path baseDir) {
        if (limit == null) throw new UserError(null, "--limit: expected a pattern, found nothing");
        List<String> terms = new ArrayList<>();
        for (String t : split(limit)) {
            if (!t.startsWith("@")) {
                terms.add(t);
                continue;
            }
            Path file = baseDir.resolve(t.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new UserError(Position.file(file), "--limit @file: expected a file with one host per line, found "
                        + (Files.isDirectory(file) ? "a directory" : "no such file"));
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) terms.add(line.strip());
                }
            } catch (IOException e) {
                throw new UserError(Position.file(file), "cannot read limit file: " + e.getMessage());
            }
        }
        for (String t : terms) check(limit, t);
        return new HostPattern(limit, terms);
    }

    /** The individual terms (in written order, modifiers kept): {@code "a:&b"} → {@code [a, &b]}. */
    public List<String> terms() {
        return terms;
    }

    private static List<String> split(String pattern) {
        int depth = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '[') depth++;
            if (c == ']') depth--;
            if (depth < 0 || depth > 1) break;
        }
        if (depth != 0 && !pattern.contains("~")) {
            throw new UserError(null, "host pattern '" + pattern + "': expected balanced '[' and ']', found "
                    + (depth > 0 ? "an unclosed '['" : "a ']' without '['"));
        }
        List<String> raw = new ArrayList<>();
        if (pattern.contains(",")) {
            raw.addAll(List.of(pattern.split(",", -1)));
        } else if (Addresses.parse(pattern) != null) {
            raw.add(pattern); // a single host name or address, possibly IPv6 with colons
        } else {
            Matcher m = TERM.matcher(pattern);
            while (m.find()) raw.add(m.group());
        }
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            if (!r.strip().isEmpty()) out.add(r.strip());
        }
        return out;
    }

    private static void check(String pattern, String term) {
        String body = term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term;
        if (body.isEmpty()) {
            throw new UserError(null, "host pattern '" + pattern + "': expected a name after '" + term + "', found nothing");
        }
        if (body.startsWith("~")) {
            try {
                Pattern.compile(body.substring(1));
            } catch (PatternSyntaxException e) {
                throw new UserError(null, "host pattern '" + pattern + "': expected a valid regular expression after '~', found '"
                        + body.substring(1) + "' (" + e.getDescription() + ")");
            }
        } else {
            long open = body.chars().filter(c -> c == '[').count();
            long close = body.chars().filter(c -> c == ']').count();
            if (open != close) {
                throw new UserError(null, "host pattern '" + pattern + "': expected balanced '[' and ']' in '" + term
                        + "'");
            }
        }
    }

    /** The selected hosts, without repeats, in Ansible's order. */
    public List<Host> evaluate(Inventory inv) {
        List<String> regular = new ArrayList<>();
        List<String> and = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (String t : terms) {
            if (t.startsWith("!")) not.add(t);
            else if (t.startsWith("&")) and.add(t);
            else regular.add(t);
        }
        if (regular.isEmpty()) regular.add("all");
        List<String> ordered = new ArrayList<>(regular);
        ordered.addAll(and);
        ordered.addAll(not);

        List<Host> hosts = new ArrayList<>();
        for (String p : ordered) {
            if (inv.hosts().containsKey(p)) {
                hosts.add(inv.hosts().get(p));
                continue;
            }
            List<Host> that = matchOne(inv, p);
            if (p.startsWith("!")) {
                Set<String> drop = names(that);
                hosts.removeIf(h -> drop.contains(h.name()));
            } else if (p.startsWith("&")) {
                Set<String> keep = names(that);
                hosts.removeIf(h -> !keep.contains(h.name()));
            } else {
                hosts.addAll(that);
            }
        }
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<Host> out = new ArrayList<>();
        for (Host h : hosts) {
            if (seen.add(h.name())) out.add(h);
        }
        return out;
    }

    private static Set<String> names(List<Host> hosts) {
        Set<String> s = new HashSet<>();
        for (Host h : hosts) s.add(h.name());
        return s;
    }

    /** A subscript bound; one that does not fit an int cannot index any inventory. */
    private int subscript(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new UserError(null, "host pattern '" + text + "': expected a subscript within the host list, found "
                    + digits);
        }
    }

    private List<Host> matchOne(Inventory inv, String term) {
        String p = term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term;
        String expr = p;
        Integer start = null;
        Integer end = null;
        boolean single = false;
        if (!p.startsWith("~")) {
            Matcher m = SUBSCRIPT.matcher(p);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    start = subscript(m.group(2));
                    single = true;
                } else {
                    start = subscript(m.group(3));
                    end = m.group(5).isEmpty() ? -1 : subscript(m.group(5));
                }
            }
        }
        List<Host> hosts = enumerate(inv, expr);
        if (hosts.isEmpty() || start == null) return hosts;
        int n = hosts.size();
        if (single || end == 0) {
            // Python indexing; Ansible treats [x:0] like [x] (0 is falsy there)
            int i = start < 0 ? n + start : start;
            if (i < 0 || i >= n) {
                throw new UserError(null, "host pattern '" + text + "': expected a subscript within the " + n
                        + " hosts of '" + expr + "', found " + term.substring(term.lastIndexOf('[')));
            }
            return List.of(hosts.get(i));
        }
        int to = end == -1 ? n - 1 : end;
        int from = Math.min(start, n);
        int toExclusive = Math.min(to + 1, n);
        return from >= toExclusive ? List.of() : hosts.subList(from, toExclusive);
    }

    private static List<Host> enumerate(Inventory inv, String pattern) {
        Pattern re = compile(pattern);
        List<Host> results = new ArrayList<>();
        boolean matchedGroup = false;
        for (String g : inv.groups().keySet()) {
            if (matches(re, pattern, g)) {
                matchedGroup = true;
                for (String h : inv.groupHosts(g)) results.add(inv.hosts().get(h));
            }
        }
        boolean special = pattern.startsWith("~") || pattern.contains(".") || pattern.contains("?")
                || pattern.contains("*") || pattern.contains("[");
        if (!matchedGroup || special) {
            for (Host h : inv.hosts().values()) {
                if (matches(re, pattern, h.name())) results.add(h);
            }
        }
        if (results.isEmpty() && Inventory.LOCALHOST_NAMES.contains(pattern)) results.add(inv.host(pattern));
        return results;
    }

    private static boolean matches(Pattern re, String pattern, String name) {
        Matcher m = re.matcher(name);
        return pattern.startsWith("~") ? m.lookingAt() : m.matches();
    }

    private static Pattern compile(String pattern) {
        if (pattern.startsWith("~")) return Pattern.compile(pattern.substring(1));
        return Pattern.compile(globToRegex(pattern));
    }

    /** Python's fnmatch.translate: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; everything else literal. */
    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                // one .* for a run of stars, as Python does: "***...*x" would otherwise backtrack for seconds
                if (sb.length() < 2 || sb.charAt(sb.length() - 1) != '*' || sb.charAt(sb.length() - 2) != '.') {
                    sb.append(".*");
                }
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') j++;
                if (j < n && glob.charAt(j) == ']') j++;
                while (j < n && glob.charAt(j) != ']') j++;
                if (j >= n) {
                    sb.append("\\[");
                } else {
                    String stuff = glob.substring(i, j);
                    i = j + 1;
                    boolean negated = stuff.startsWith("!");
                    String set = charSet(negated ? stuff.substring(1) : stuff);
                    if (set.isEmpty()) sb.append(negated ? "." : "(?!)"); // as Python: [z-a] matches nothing
                    else sb.append(negated ? "[^" : "[").append(set).append(']');
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return "(?s)" + sb;
    }

    /**
     * The members of a {@code [...]} class as a Java class body: every character literal, {@code a-z} ranges
     * kept, reversed ranges such as {@code [z-a]} dropped as Python's fnmatch does (Java would refuse them).
     */
    private static String charSet(String members) {
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (k < members.length()) {
            char lo = members.charAt(k);
            if (k + 2 < members.length() && members.charAt(k + 1) == '-') {
                char hi = members.charAt(k + 2);
                if (lo <= hi) out.append(classChar(lo)).append('-').append(classChar(hi));
                k += 3;
            } else {
                out.append(classChar(lo));
                k++;
            }
        }
        return out.toString();
    }

    private static String classChar(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }

    @Override
    public String toString() {
        return text;
    }
}
