package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's {@code find}: files below paths by name pattern, type, age, size and content. One {@code find -printf}
 * per path lists candidates (paths are arguments, never shell); filtering happens here with Ansible's rules.
 */
public final class FindModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("paths", ArgSpec.Type.LIST, true, null, "name", "path")
            .add("patterns", ArgSpec.Type.LIST, false, List.of(), "pattern")
            .add("excludes", ArgSpec.Type.LIST, false, null, "exclude")
            .add("contains", ArgSpec.Type.STR, false, null)
            .choice("file_type", "file", "any", "directory", "file", "link")
            .add("recurse", ArgSpec.Type.BOOL, false, false)
            .add("age", ArgSpec.Type.STR, false, null)
            .choice("age_stamp", "mtime", "atime", "ctime", "mtime")
            .add("size", ArgSpec.Type.STR, false, null)
            .add("hidden", ArgSpec.Type.BOOL, false, false)
            .add("follow", ArgSpec.Type.BOOL, false, false)
            .add("get_checksum", ArgSpec.Type.BOOL, false, false)
            .add("use_regex", ArgSpec.Type.BOOL, false, false)
            .add("depth", ArgSpec.Type.INT, false, null).build();

    private static final String FORMAT = "%y\\t%m\\t%s\\t%U\\t%G\\t%u\\t%g\\t%T@\\t%A@\\t%C@\\t%i\\t%n\\t%d\\t%p\\t%D\\0";

    public FindModule() {
        super("find", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        List<Pattern> include;
        List<Pattern> exclude;
        Pattern contains;
        try {
            boolean regex = Args.bool(a, "use_regex");
            include = patterns(Args.strings(a, "patterns"), regex);
            exclude = patterns(Args.strings(a, "excludes"), regex);
            contains = a.get("contains") == null ? null : Pattern.compile(Args.str(a, "contains"));
        } catch (PatternSyntaxException e) {
            return ModuleResult.failed("invalid pattern: " + e.getDescription() + " in '" + e.getPattern() + "'");
        }
        Long age = a.get("age") == null ? null : seconds(Args.str(a, "age"));
        Long size = a.get("size") == null ? null : bytes(Args.str(a, "size"));
        if (a.get("age") != null && age == null) return ModuleResult.failed("failed to process age: " + a.get("age"));
        if (a.get("size") != null && size == null) return ModuleResult.failed("failed to process size: " + a.get("size"));
        String type = Args.str(a, "file_type");
        boolean recurse = Args.bool(a, "recurse");
        Integer depth = Args.integer(a, "depth");
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        int examined = 0;
        for (String root : Args.strings(a, "paths")) {
            List<String> argv = new ArrayList<>(List.of("find"));
            if (Args.bool(a, "follow")) argv.add("-L");
            argv.addAll(List.of(root, "-mindepth", "1"));
            if (!recurse) argv.addAll(List.of("-maxdepth", "1"));
            // Ansible lists one level below depth too: those entries count as examined but never match.
            else if (depth != null) argv.addAll(List.of("-maxdepth", String.valueOf(depth + 1)));
            argv.addAll(List.of("-printf", FORMAT));
            ExecResult r = host.exec(ExecSpec.argv(argv));
            if (r.rc() != 0 && r.stdout().length == 0) {
                skipped.put(root, r.stderrText().strip().isEmpty() ? "not a directory" : r.stderrText().strip());
                continue;
            }
            for (String e : r.stdoutText().split("\0")) {
                // The path may hold tabs, so split it off by position: 13 fields before it, the device number after it.
                String[] head = e.split("\t", 14);
                if (head.length < 14) continue;
                int lastTab = head[13].lastIndexOf('\t');
                String[] f = java.util.Arrays.copyOf(head, 15);
                f[13] = head[13].substring(0, lastTab);
                f[14] = head[13].substring(lastTab + 1);
                examined++;
                if (recurse && depth != null && Integer.parseInt(f[12]) > depth) continue;
                String path = f[13];
                String name = path.substring(path.lastIndexOf('/') + 1);
                String kind = switch (f[0]) {
                    case "d" -> "directory";
                    case "l" -> "link";
                    case "f" -> "file";
                    default -> "other";
                };
                String rawType = f[0];
                if (!type.equals("any") && !type.equals(kind)) continue;
                if (!Args.bool(a, "hidden") && name.startsWith(".")) continue;
                if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(name).matches())) continue;
                if (exclude.stream().anyMatch(p -> p.matcher(name).matches())) continue;
                double stamp = Double.parseDouble(switch (Args.str(a, "age_stamp")) {
                    case "atime" -> f[8];
                    case "ctime" -> f[9];
                    default -> f[7];
                });
                if (age != null && !(age >= 0 ? now - stamp >= age : now - stamp <= -age)) continue;
                long sz = Long.parseLong(f[2]);
                if (size != null && kind.equals("file") && !(size >= 0 ? sz >= size : sz <= -size)) continue;
                if (contains != null) {
                    if (!kind.equals("file")) continue;
                    String text = new String(host.readFile(path), StandardCharsets.UTF_8);
                    boolean hit = false;
                    for (String line : TextFile.readLines(text)) {
                        if (contains.matcher(line).lookingAt()) { // Python re.match: anchored at the start only
                            hit = true;
                            break;
                        }
                    }
                    if (!hit) continue;
                }
                Map<String, Object> ent = entry(host, f, kind, path, Args.bool(a, "get_checksum"));
                ent.put("isblk", rawType.equals("b"));
                ent.put("ischr", rawType.equals("c"));
                ent.put("isfifo", rawType.equals("p"));
                ent.put("issock", rawType.equals("s"));
                files.add(ent);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("matched", files.size());
        m.put("examined", examined);
        m.put("skipped_paths", skipped);
        m.put("msg", skipped.isEmpty() ? "All paths examined" : "Not all paths examined, check warnings for details");
        return ModuleResult.of(false, m);
    }

    private static Map<String, Object> entry(HostOps host, String[] f, String kind, String path, boolean checksum)
            throws IOException {
        int mode = Integer.parseInt(f[1], 8);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("path", path);
        s.put("mode", FileSupport.modeString(mode));
        s.put("isdir", kind.equals("directory"));
        s.put("isreg", kind.equals("file"));
        s.put("islnk", kind.equals("link"));
        s.put("size", Long.parseLong(f[2]));
        s.put("uid", Integer.parseInt(f[3]));
        s.put("gid", Integer.parseInt(f[4]));
        s.put("pw_name", f[5]);
        s.put("gr_name", f[6]);
        s.put("mtime", Double.parseDouble(f[7]));
        s.put("atime", Double.parseDouble(f[8]));
        s.put("ctime", Double.parseDouble(f[9]));
        s.put("inode", Long.parseLong(f[10]));
        s.put("nlink", Integer.parseInt(f[11]));
        FileSupport.permissionFlags(mode, s);
        s.put("isuid", (mode & 04000) != 0);
        s.put("isgid", (mode & 02000) != 0);
        s.put("dev", Long.parseLong(f[14]));
        if (checksum && kind.equals("file")) s.put("checksum", FileSupport.sha1(host.readFile(path)));
        return s;
    }

    /** Shell globs (fnmatch) or regexes; Ansible matches either against the whole base name. */
    private static List<Pattern> patterns(List<String> raw, boolean regex) {
        List<Pattern> out = new ArrayList<>();
        for (String p : raw) out.add(Pattern.compile(regex ? p : glob(p)));
        return out;
    }

    static String glob(String g) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        b.append("\\[");
                    } else {
                        String set = g.substring(i + 1, close);
                        if (set.startsWith("!")) set = "^" + set.substring(1);
                        b.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    /** "2d", "-3h", "30" (seconds): negative means newer than. */
    static Long seconds(String s) {
        java.util.regex.Matcher m = Pattern.compile("(-?\\d+)([smhdw]?)", Pattern.CASE_INSENSITIVE).matcher(s.trim());
        if (!m.matches()) return null;
        long unit = switch (m.group(2).toLowerCase()) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            case "w" -> 604800;
            default -> 1;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** "10m", "-1g", "500" (bytes): negative means at most. */
    static Long bytes(String s) {
        java.util.regex.Matcher m = Pattern.compile("(-?\\d+)([bkmgt]?)", Pattern.CASE_INSENSITIVE).matcher(s.trim());
        if (!m.matches()) return null;
        long unit = switch (m.group(2).toLowerCase()) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            case "t" -> 1024L * 1024 * 1024 * 1024;
            default -> 1;
        };
        return Long.parseLong(m.group(1)) * unit;
    }
}
