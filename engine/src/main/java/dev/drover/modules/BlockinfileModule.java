package dev.drover.modules;

import dev.drover.host.FileStat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Ansible's {@code blockinfile}: a block of lines between marker lines, inserted, replaced or removed. */
public final class BlockinfileModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("path", ArgSpec.Type.PATH, true, null, "dest", "destfile", "name")
            .choice("state", "present", "absent", "present")
            .add("marker", ArgSpec.Type.STR, false, "# {mark} ANSIBLE MANAGED BLOCK")
            .add("block", ArgSpec.Type.STR, false, "", "content")
            .add("insertafter", ArgSpec.Type.STR, false, null)
            .add("insertbefore", ArgSpec.Type.STR, false, null)
            .add("create", ArgSpec.Type.BOOL, false, false)
            .add("backup", ArgSpec.Type.BOOL, false, false)
            .add("validate", ArgSpec.Type.STR, false, null)
            .add("marker_begin", ArgSpec.Type.STR, false, "BEGIN")
            .add("marker_end", ArgSpec.Type.STR, false, "END")).build();

    public BlockinfileModule() {
        super("blockinfile", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String path = Args.str(a, "path");
        String insAfter = Args.str(a, "insertafter");
        String insBefore = Args.str(a, "insertbefore");
        if (insAfter != null && insBefore != null) {
            return ModuleResult.failed("parameters are mutually exclusive: insertbefore|insertafter");
        }
        FileStat st = ctx.host().stat(path, false, true);
        if (st.isDirectory()) return ModuleResult.failed("Path " + path + " is a directory !", Map.of("rc", 256));
        boolean present = "present".equals(Args.str(a, "state"));
        if (!st.exists()) {
            if (!Args.bool(a, "create")) return ModuleResult.failed("Path " + path + " does not exist !", Map.of("rc", 257));
            if (!present) return ModuleResult.of(false, Map.of("msg", "File " + path + " not present"));
            String parent = FileSupport.parent(path);
            if (parent != null && !ctx.checkMode()) ctx.host().mkdirs(parent, null);
        }
        String original = TextFile.current(ctx.host(), path, st);
        List<String> lines = new ArrayList<>(TextFile.readLines(original));
        if (insBefore == null && insAfter == null) insAfter = "EOF";
        Pattern insertRe;
        try {
            insertRe = insAfter != null && !insAfter.equals("EOF") ? Pattern.compile(insAfter)
                    : insBefore != null && !insBefore.equals("BOF") ? Pattern.compile(insBefore) : null;
        } catch (PatternSyntaxException e) {
            return ModuleResult.failed("invalid regular expression: " + e.getDescription() + " in '" + e.getPattern() + "'");
        }
        String marker = Args.str(a, "marker");
        String marker0 = marker.replace("{mark}", Args.str(a, "marker_begin")) + "\n";
        String marker1 = marker.replace("{mark}", Args.str(a, "marker_end")) + "\n";
        String block = Args.str(a, "block");
        List<String> blockLines = new ArrayList<>();
        if (present && !block.isEmpty()) {
            if (!block.endsWith("\n")) block += "\n";
            blockLines.add(marker0);
            blockLines.addAll(TextFile.readLines(block));
            blockLines.add(marker1);
        }
        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(marker0)) n0 = i;
            if (lines.get(i).equals(marker1)) n1 = i;
        }
        if (n0 == null || n1 == null) {
            n0 = null;
            if (insertRe != null) {
                if (insertRe.pattern().startsWith("(?m")) {
                    // A multi-line pattern is searched in the whole text, as Ansible does for re.MULTILINE.
                    Matcher m = insertRe.matcher(original);
                    if (m.find()) n0 = count(original, insAfter != null ? m.end() : m.start());
                } else {
                    for (int i = 0; i < lines.size(); i++) if (insertRe.matcher(lines.get(i)).find()) n0 = i;
                }
                if (n0 == null) n0 = lines.size();
                else if (insAfter != null) n0 += 1;
            } else {
                n0 = insBefore != null ? 0 : lines.size();
            }
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
        } else {
            lines.subList(n1, n0 + 1).clear();
            n0 = n1;
        }
        if (n0 > 0 && n0 <= lines.size() && !lines.get(n0 - 1).endsWith("\n")) lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
        lines.addAll(Math.min(n0, lines.size()), blockLines);
        String result = String.join("", lines);
        boolean changed;
        String msg;
        if (st.exists() && original.equals(result)) {
            changed = false;
            msg = "";
        } else if (!st.exists()) {
            changed = true;
            msg = "File created";
        } else {
            changed = true;
            msg = blockLines.isEmpty() ? "Block removed" : "Block inserted";
        }
        return TextFile.finish(ctx, path, st, original, lines, changed, msg, Map.of(), "backup_file");
    }

    private static int count(String s, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) if (s.charAt(i) == '\n') n++;
        return n;
    }
}
