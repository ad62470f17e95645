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
     * group; returns the result values with Ansible's msg ("... and ownership, perms or SE linux context changed").
     */
    static ModuleResult finish(ModuleContext ctx, String path, boolean existed, String before, List<String> lines,
                               boolean changed, String msg, Map<String, Object> extra) throws IOException {
        HostOps host = ctx.host();
        Map<String, Object> a = ctx.args();
        String after = String.join("", lines);
        Map<String, Object> r = new LinkedHashMap<>();
        String backup = "";
        byte[] bytes = after.getBytes(StandardCharsets.UTF_8);
        if (changed && !ctx.checkMode()) {
            String validate = Args.str(a, "validate");
            if (validate != null) {
                String problem = PutFile.validate(host, path, bytes, validate);
                if (problem != null) return ModuleResult.failed(problem);
            }
            if (Args.bool(a, "backup") && existed) backup = FileSupport.backup(host, path);
            FileStat st = host.stat(path, false, true);
            FileAttrs attrs = FileSupport.attrs(a, st.exists() ? st.mode() : 0644, false);
            host.writeFile(path, bytes, attrs);
        }
        boolean attrsChanged = false;
        if (!ctx.checkMode() || existed) {
            FileStat st = host.stat(path, false, true);
            attrsChanged = FileSupport.applyAttrs(ctx, path, FileSupport.attrs(a, st.mode(), false));
        }
        if (attrsChanged) {
            msg = (changed ? msg + " and " : "") + "ownership, perms or SE linux context changed";
            changed = true;
        }
        r.put("msg", msg);
        r.put("backup", backup);
        r.putAll(extra);
        if (ctx.diffMode()) r.put("diff", FileSupport.contentDiff(path, before, after));
        return ModuleResult.of(changed, r);
    }

    /** Reads the current text, or "" when the path is missing (callers check create first). */
    static String current(HostOps host, String path, FileStat st) throws IOException {
        return st.exists() ? new String(host.readFile(path), StandardCharsets.UTF_8) : "";
    }
}
