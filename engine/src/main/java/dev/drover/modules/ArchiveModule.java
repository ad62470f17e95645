package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import dev.drover.transport.ShellQuote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code archive} (community.general) for tar formats: paths on the host into dest with {@code tar}.
 * Built beside dest and renamed over it (atomic); kept unchanged when the new archive lists exactly what the old
 * one does (tar -tv: names, modes, owners, sizes, mtimes), since compressed bytes differ on every run.
 */
public final class ArchiveModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("path", ArgSpec.Type.LIST, true, null)
            .add("dest", ArgSpec.Type.PATH, false, null)
            .choice("format", "gz", "bz2", "gz", "tar", "xz")
            .add("exclude_path", ArgSpec.Type.LIST, false, List.of())
            .add("remove", ArgSpec.Type.BOOL, false, false)
            .add("force_archive", ArgSpec.Type.BOOL, false, false)).build();

    public ArchiveModule() {
        super("archive", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        List<String> paths = Args.strings(a, "path");
        String format = Args.str(a, "format");
        String dest = Args.str(a, "dest");
        if (dest == null) {
            if (paths.size() != 1) return ModuleResult.failed("Error, must specify 'dest' when archiving multiple files or trees");
            dest = paths.get(0) + (format.equals("tar") ? ".tar" : ".tar." + format);
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String p : paths) (host.stat(p, false, false).exists() ? present : missing).add(p);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", dest);
        m.put("archived", present);
        m.put("missing", missing);
        if (present.isEmpty()) {
            FileStat ds = host.stat(dest, false, true);
            m.put("state", ds.exists() ? "file" : "absent");
            m.put("dest_state", ds.exists() ? "archive" : "absent");
            if (!ds.exists()) return ModuleResult.failed("Error, no source paths were found", m);
            return ModuleResult.of(false, m);
        }
        String root = commonParent(present);
        m.put("arcroot", root + "/");
        String tmp = dest + ".drover-tmp." + Long.toHexString(System.nanoTime());
        List<String> argv = new ArrayList<>(List.of("tar", "-c", "-f", tmp));
        switch (format) {
            case "gz" -> argv.add("-z");
            case "bz2" -> argv.add("-j");
            case "xz" -> argv.add("-J");
            default -> { }
        }
        for (String x : Args.strings(a, "exclude_path")) argv.add("--exclude=" + relative(root, x));
        argv.addAll(List.of("--null", "--no-recursion", "-T", "-"));
        // Members as Ansible's archive adds them: a directory given as a path contributes what is below it, not an
        // entry of its own (which would carry its mode to wherever the archive is unpacked); a file is itself.
        StringBuilder members = new StringBuilder();
        for (String p : present) {
            String rel = ShellQuote.quote(relative(root, p));
            if (host.stat(p, false, false).isDirectory()) members.append("find ").append(rel).append(" -mindepth 1 -print0; ");
            else members.append("printf '%s\\0' ").append(rel).append("; ");
        }
        ExecResult r = host.exec(ExecSpec.shell("{ " + members + "} | " + ShellQuote.join(argv)).withChdir(root));
        try {
            if (r.rc() != 0) return ModuleResult.failed("Error creating archive: " + r.stderrText().strip(), m);
            boolean changed = !sameListing(host, tmp, dest);
            if (changed && !ctx.checkMode()) {
                ExecResult mv = host.exec(ExecSpec.argv(List.of("mv", "-f", "--", tmp, dest)));
                if (mv.rc() != 0) return ModuleResult.failed("cannot move the archive into place: " + mv.stderrText().strip(), m);
            }
            if (!ctx.checkMode()) {
                FileStat ds = host.stat(dest, false, true);
                if (ds.exists()) changed |= FileSupport.applyAttrs(ctx, dest, FileSupport.attrs(a, ds.mode(), false));
            }
            if (Args.bool(a, "remove") && !ctx.checkMode()) {
                for (String p : present) host.remove(p, true);
                changed = true;
            }
            // Like Ansible: `state` is what the destination path is now (its common path info), `dest_state` what
            // kind of archive it is.
            m.put("state", host.stat(dest, false, true).exists() ? "file" : "absent");
            m.put("dest_state", "archive");
            return ModuleResult.of(changed, m);
        } finally {
            host.remove(tmp, false);
        }
    }

    private static boolean sameListing(HostOps host, String a, String b) throws IOException {
        if (!host.stat(b, false, true).exists()) return false;
        ExecResult la = host.exec(ExecSpec.argv(List.of("tar", "-tvf", a)));
        ExecResult lb = host.exec(ExecSpec.argv(List.of("tar", "-tvf", b)));
        return la.rc() == 0 && lb.rc() == 0 && la.stdoutText().equals(lb.stdoutText());
    }

    /** The deepest directory containing every path (archive members are stored relative to it). */
    static String commonParent(List<String> paths) {
        String common = null;
        for (String p : paths) {
            String parent = FileSupport.parent(stripSlash(p));
            if (parent == null) parent = "/";
            if (common == null) {
                common = parent;
            } else {
                while (!(parent + "/").startsWith(common.equals("/") ? "/" : common + "/")) {
                    common = FileSupport.parent(common);
                    if (common == null) common = "/";
                }
            }
        }
        return common;
    }

    private static String relative(String root, String p) {
        String s = stripSlash(p);
        String prefix = root.equals("/") ? "/" : root + "/";
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
