package dev.drover.modules;

import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Ansible's {@code lineinfile}: ensures one line is present (or every matching line absent), Ansible's rules. */
public final class LineinfileModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("path", ArgSpec.Type.PATH, true, null, "dest", "destfile", "name")
            .choice("state", "present", "absent", "present")
            .add("regexp", ArgSpec.Type.STR, false, null, "regex")
            .add("search_string", ArgSpec.Type.STR, false, null)
            .add("line", ArgSpec.Type.STR, false, null, "value")
            .add("insertafter", ArgSpec.Type.STR, false, null)
            .add("insertbefore", ArgSpec.Type.STR, false, null)
            .add("backrefs", ArgSpec.Type.BOOL, false, false)
            .add("create", ArgSpec.Type.BOOL, false, false)
            .add("backup", ArgSpec.Type.BOOL, false, false)
            .add("firstmatch", ArgSpec.Type.BOOL, false, false)
            .add("validate", ArgSpec.Type.STR, false, null)).build();

    public LineinfileModule() {
        super("lineinfile", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String path = Args.str(a, "path");
        String regexp = Args.str(a, "regexp");
        String search = Args.str(a, "search_string");
        String line = Args.str(a, "line");
        if (a.get("insertbefore") != null && a.get("insertafter") != null) {
            return ModuleResult.failed("parameters are mutually exclusive: insertbefore|insertafter");
        }
        if (regexp != null && search != null) return ModuleResult.failed("parameters are mutually exclusive: regexp|search_string");
        if (Args.bool(a, "backrefs") && search != null) {
            return ModuleResult.failed("parameters are mutually exclusive: backrefs|search_string");
        }
        HostOps host = ctx.host();
        FileStat st = host.stat(path, false, true);
        if (st.isDirectory()) return ModuleResult.failed("Path " + path + " is a directory !", Map.of("rc", 256));
        try {
            if ("absent".equals(Args.str(a, "state"))) {
                if (regexp == null && search == null && line == null) {
                    return ModuleResult.failed("one of line, search_string, or regexp is required with state=absent");
                }
                return absent(ctx, path, st, regexp, search, line);
            }
            if (Args.bool(a, "backrefs") && regexp == null) return ModuleResult.failed("regexp is required with backrefs=true");
            if (line == null) return ModuleResult.failed("line is required with state=present");
            return present(ctx, path, st, regexp, search, line);
        } catch (PatternSyntaxException e) {
            return ModuleResult.failed("invalid regular expression: " + e.getDescription() + " in '" + e.getPattern() + "'");
        }
    }

    private static ModuleResult present(ModuleContext ctx, String path, FileStat st, String regexp, String search,
                                        String line) throws IOException {
        Map<String, Object> a = ctx.args();
        String insAfter = Args.str(a, "insertafter");
        String insBefore = Args.str(a, "insertbefore");
        if (insAfter == null && insBefore == null) insAfter = "EOF";
        boolean firstmatch = Args.bool(a, "firstmatch");
        if (!st.exists()) {
            if (!Args.bool(a, "create")) return ModuleResult.failed("Destination " + path + " does not exist !", Map.of("rc", 257));
            String parent = FileSupport.parent(path);
            if (parent != null && !ctx.checkMode()) ctx.host().mkdirs(parent, null);
        }
        String before = TextFile.current(ctx.host(), path, st);
        List<String> lines = new java.util.ArrayList<>(TextFile.readLines(before));
        Pattern re = regexp == null ? null : Pattern.compile(regexp);
        Pattern ins = insAfter != null && !insAfter.equals("BOF") && !insAfter.equals("EOF") ? Pattern.compile(insAfter)
                : insBefore != null && !insBefore.equals("BOF") ? Pattern.compile(insBefore) : null;
        int matchIdx = -1;
        int insIdx = -1;
        Matcher match = null;
        boolean found = false;
        if (re != null) {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = re.matcher(lines.get(i));
                if (m.find()) {
                    matchIdx = i;
                    match = m;
                    found = true;
                    if (firstmatch) break;
                }
            }
        }
        if (search != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(search)) {
                    matchIdx = i;
                    found = true;
                    if (firstmatch) break;
                }
            }
        }
        if (!found) {
            for (int i = 0; i < lines.size(); i++) {
                if (line.equals(TextFile.strip(lines.get(i)))) {
                    matchIdx = i;
                } else if (ins != null && ins.matcher(lines.get(i)).find()) {
                    insIdx = insAfter != null ? i + 1 : i;
                    if (firstmatch) break;
                }
            }
        }
        String nl = "\n";
        String msg = "";
        boolean changed = false;
        boolean backrefs = Args.bool(a, "backrefs");
        if (matchIdx != -1) {
            String newLine = backrefs && match != null ? expand(match, line) : line;
            if (!newLine.endsWith(nl)) newLine += nl;
            if (!lines.get(matchIdx).equals(newLine)) {
                lines.set(matchIdx, newLine);
                msg = "line replaced";
                changed = true;
            }
        } else if (backrefs) {
            // backrefs without a match leaves the file alone, as Ansible does
        } else if ("BOF".equals(insBefore) || "BOF".equals(insAfter)) {
            lines.add(0, line + nl);
            msg = "line added";
            changed = true;
        } else if ("EOF".equals(insAfter) || insIdx == -1) {
            if (!lines.isEmpty() && !endsWithNewline(lines.get(lines.size() - 1))) lines.add(nl);
            lines.add(line + nl);
            msg = "line added";
            changed = true;
        } else if (insAfter != null) {
            if (lines.size() == insIdx) {
                if (!TextFile.strip(lines.get(insIdx - 1)).equals(line)) {
                    lines.add(line + nl);
                    msg = "line added";
                    changed = true;
                }
            } else if (!line.equals(TextFile.strip(lines.get(insIdx)))) {
                lines.add(insIdx, line + nl);
                msg = "line added";
                changed = true;
            }
        } else {
            lines.add(insIdx, line + nl);
            msg = "line added";
            changed = true;
        }
        return TextFile.finish(ctx, path, st, before, lines, changed, msg, Map.of(), "backup");
    }

    private static boolean endsWithNewline(String s) {
        return s.endsWith("\n") || s.endsWith("\r");
    }

    /** Python's match.expand: \1..\99 and \g<name>/\g<1> refer to groups; other escapes are literal. */
    static String expand(Matcher m, String template) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                char d = template.charAt(i + 1);
                if (Character.isDigit(d)) {
                    int j = i + 1;
                    while (j < template.length() && j < i + 3 && Character.isDigit(template.charAt(j))) j++;
                    int g = Integer.parseInt(template.substring(i + 1, j));
                    if (g > m.groupCount()) throw new IllegalArgumentException("invalid group reference " + g);
                    String v = m.group(g);
                    b.append(v == null ? "" : v);
                    i = j - 1;
                    continue;
                }
                if (d == 'g' && i + 2 < template.length() && template.charAt(i + 2) == '<') {
                    int close = template.indexOf('>', i + 3);
                    if (close > 0) {
                        String ref = template.substring(i + 3, close);
                        String v = ref.matches("\\d+") ? m.group(Integer.parseInt(ref)) : m.group(ref);
                        b.append(v == null ? "" : v);
                        i = close;
                        continue;
                    }
                }
                switch (d) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\' -> b.append('\\');
                    default -> b.append(c).append(d);
                }
                i++;
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static ModuleResult absent(ModuleContext ctx, String path, FileStat st, String regexp, String search,
                                       String line) throws IOException {
        if (!st.exists()) return ModuleResult.of(false, Map.of("msg", "file not present"));
        String before = TextFile.current(ctx.host(), path, st);
        Pattern re = regexp == null ? null : Pattern.compile(regexp);
        List<String> kept = new java.util.ArrayList<>();
        int found = 0;
        for (String l : TextFile.readLines(before)) {
            boolean hit = re != null ? re.matcher(l).find() : search != null ? l.contains(search)
                    : line.equals(TextFile.strip(l));
            if (hit) found++;
            else kept.add(l);
        }
        String msg = found > 0 ? found + " line(s) removed" : "";
        return TextFile.finish(ctx, path, st, before, kept, found > 0, msg, Map.of("found", found), "backup");
    }
}
