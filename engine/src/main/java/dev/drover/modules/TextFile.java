package dev.drover.modules;

import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Line-oriented edits shared by lineinfile and blockinfile: read as lines with endings, write back, diff, attrs. */
final class TextFile {
    private TextFile() {}

    /** The mode a new file gets with the usual umask 022, as Ansible's created files do. */
    static final int NEW_FILE_MODE = 0644;

    /** Python's readlines: each line keeps its terminator. */
    static List<String> readLines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    static String strip(String line) {
        int e = line.length();
        while (e > 0 && (line.charAt(e - 1) == '\n' || line.charAt(e - 1) == '\r')) e--;
        return line.substring(0, e);
    }

    /**
     * Writes the edited lines (atomically, with backup and validate) unless in check mode, then applies mode/owner/
     * group; {@code givenStat} is the caller's stat of {@code given} (following links). Returns the result values
     * with Ansible's msg ("... and ownership, perms or SE linux context changed") and the backup under {@code backupKey}.
     */
    static ModuleResult finish(ModuleContext ctx, String given, FileStat givenStat, String before, List<String> lines,
                               boolean changed, String msg, Map<String, Object> extra, String backupKey)
            throws IOException {
        HostOps host = ctx.host();
        Map<String, Object> a = ctx.args();
        boolean existed = givenStat.exists();
        // Like Ansible, edit the file a symlink points to rather than replacing the link with a copy. A stat that
        // follows links still names the link's target, so only a missing path needs asking whether it is a link.
        boolean link = existed ? givenStat.linkTarget() != null : host.stat(given, false, false).isLink();
        String path = link ? FileSupport.realpath(host, given) : given;
        String after = String.join("", lines);
        Map<String, Object> r = new LinkedHashMap<>();
        String backup = "";
        byte[] bytes = after.getBytes(StandardCharsets.UTF_8);
        FileStat st = link ? host.stat(path, false, true) : givenStat;
        FileAttrs attrs = FileSupport.attrs(a, st.exists() ? st.mode() : NEW_FILE_MODE, false);
        // Ansible writes the content first and then applies attributes, reporting the latter separately in msg.
        // Drover writes with the attributes (a new file never shows the wrong mode) but reports the same way.
        boolean attrsChanged = st.exists() ? FileSupport.attrsDiffer(st, attrs)
                : attrs.mode() != null && attrs.mode() != NEW_FILE_MODE || attrs.owner() != null || attrs.group() != null;
        if (changed && !ctx.checkMode()) {
            String validate = Args.str(a, "validate");
            if (validate != null) {
                String problem = PutFile.validate(host, path, bytes, validate);
                if (problem != null) return ModuleResult.failed(problem);
            }
            if (Args.bool(a, "backup") && existed) backup = FileSupport.backup(host, path);
            host.writeFile(path, bytes, attrs);
        } else if (attrsChanged && !ctx.checkMode()) {
            host.setAttrs(path, attrs);
        }
        if (attrsChanged) {
            msg = (changed ? msg + " and " : "") + "ownership, perms or SE linux context changed";
            changed = true;
        }
        r.put("msg", msg);
        // lineinfile always returns "backup" (empty when none); blockinfile returns "backup_file" only when made.
        if (backupKey.equals("backup") || !backup.isEmpty()) r.put(backupKey, backup);
        r.putAll(extra);
        if (ctx.diffMode()) r.put("diff", FileSupport.contentDiff(given, before, after));
        return ModuleResult.of(changed, r);
    }

    /** Reads the current text, or "" when the path is missing (callers check create first). */
    static String current(HostOps host, String path, FileStat st) throws IOException {
        return st.exists() ? new String(host.readFile(path), StandardCharsets.UTF_8) : "";
    }
}
