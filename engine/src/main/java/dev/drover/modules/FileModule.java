package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import dev.drover.transport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's {@code file}: a path's state (file, directory, link, hard, absent, touch) and attributes. */
public final class FileModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("path", ArgSpec.Type.PATH, true, null, "dest", "name")
            .choice("state", null, "absent", "directory", "file", "hard", "link", "touch")
            .add("src", ArgSpec.Type.PATH, false, null)
            .add("recurse", ArgSpec.Type.BOOL, false, false)
            .add("force", ArgSpec.Type.BOOL, false, false)
            .add("follow", ArgSpec.Type.BOOL, false, true)).build();

    public FileModule() {
        super("file", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        String path = Args.str(a, "path");
        if ("absent".equals(Args.str(a, "state")) && !ctx.checkMode() && !ctx.diffMode() && !Args.bool(a, "recurse")) {
            // nothing to report about what was there: the removal itself says whether anything was (one round trip)
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("state", "absent");
            return ModuleResult.of(host.remove(path, true), m);
        }
        FileStat st = host.stat(path, false, false);
        String prior = !st.exists() ? "absent" : st.isLink() ? "link" : st.isDirectory() ? "directory" : "file";
        String state = Args.str(a, "state");
        if (state == null) state = st.exists() ? prior : (a.get("src") != null ? "link" : "file");
        if (Args.bool(a, "recurse") && !"directory".equals(state)) {
            return ModuleResult.failed("recurse option requires state to be 'directory'");
        }
        try {
            return switch (state) {
                case "absent" -> absent(ctx, path, prior);
                case "directory" -> directory(ctx, path, st, prior);
                case "touch" -> touch(ctx, path, st, prior);
                case "link", "hard" -> link(ctx, path, st, prior, state);
                default -> file(ctx, path, st, prior);
            };
        } catch (IllegalArgumentException e) {
            return ModuleResult.failed(e.getMessage(), Map.of("path", path));
        }
    }

    private static ModuleResult absent(ModuleContext ctx, String path, String prior) throws IOException {
        boolean changed = !"absent".equals(prior);
        if (changed && !ctx.checkMode()) ctx.host().remove(path, true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("state", "absent");
        // Ansible's check mode reports the path as it still is (its state and attributes), not as it would be.
        if (changed && ctx.checkMode()) m.putAll(FileSupport.info(ctx.host(), path, false));
        diff(ctx, m, path, prior, "absent", null, null);
        return ModuleResult.of(changed, m);
    }

    private static ModuleResult directory(ModuleContext ctx, String path, FileStat st, String prior) throws IOException {
        HostOps host = ctx.host();
        Map<String, Object> a = ctx.args();
        FileStat target = st.isLink() && Args.bool(a, "follow") ? host.stat(path, false, true) : st;
        if (target.exists() && !target.isDirectory()) {
            return ModuleResult.failed(path + " already exists as a " + (target.isLink() ? "link" : "file"),
                    Map.of("path", path));
        }
        FileAttrs attrs = FileSupport.attrs(a, target.exists() ? target.mode() : 0755, true);
        boolean changed;
        String beforeMode = target.exists() ? FileSupport.modeString(target.mode()) : null;
        // the stat that describes the result: the one taken, while nothing changes it
        FileStat now = target;
        if (!target.exists()) {
            changed = true;
            if (!ctx.checkMode()) {
                // Like Ansible, every directory this creates gets the mode, owner and group, not just the last one.
                now = host.mkdirs(path, attrs);
            }
        } else {
            changed = FileSupport.applyAttrs(ctx, path, attrs, target);
            if (changed) now = null;
        }
        if (Args.bool(a, "recurse")) changed |= recurse(ctx, path);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.putAll(now != null ? FileSupport.info(now) : FileSupport.info(host, path, true));
        if (ctx.checkMode() && attrs.mode() != null) m.put("mode", FileSupport.modeString(attrs.mode()));
        m.put("state", "directory");
        if (changed) diff(ctx, m, path, prior, "directory", beforeMode,
                attrs.mode() == null ? null : FileSupport.modeString(attrs.mode()));
        else diff(ctx, m, path, null, null, null, null);
        return ModuleResult.of(changed, m);
    }

    /** Applies mode/owner/group below a directory; compares first (one find) so unchanged trees report unchanged. */
    private static boolean recurse(ModuleContext ctx, String path) throws IOException {
        HostOps host = ctx.host();
        Map<String, Object> a = ctx.args();
        ExecResult r = host.exec(ExecSpec.argv(List.of("find", path, "-mindepth", "1", "-printf", "%y %m %u %g %U %G\\0")));
        if (r.rc() != 0) throw new IOException("cannot list " + path + ": " + r.stderrText().strip());
        boolean differs = false;
        for (String e : r.stdoutText().split("\0")) {
            String[] f = e.split(" ");
            if (f.length < 6 || f[0].equals("l")) continue;
            boolean dir = f[0].equals("d");
            int cur = Integer.parseInt(f[1], 8);
            Integer want = FileSupport.parseMode(a.get("mode"), cur, dir);
            String owner = Args.str(a, "owner");
            String group = Args.str(a, "group");
            if ((want != null && want != cur) || (owner != null && !owner.equals(f[2]) && !owner.equals(f[4]))
                    || (group != null && !group.equals(f[3]) && !group.equals(f[5]))) {
                differs = true;
                break;
            }
        }
        if (!differs || ctx.checkMode()) return differs;
        List<List<String>> cmds = new ArrayList<>();
        String owner = Args.str(a, "owner");
        String group = Args.str(a, "group");
        if (owner != null || group != null) {
            cmds.add(List.of("chown", "-R", "--", (owner == null ? "" : owner) + (group == null ? "" : ":" + group), path));
        }
        if (a.get("mode") != null) {
            Object mode = a.get("mode");
            String m = mode instanceof Number n ? Integer.toOctalString(n.intValue() & 07777) : mode.toString();
            cmds.add(List.of("chmod", "-R", "--", m, path));
        }
        for (List<String> c : cmds) {
            ExecResult x = host.exec(ExecSpec.argv(c));
            if (x.rc() != 0) throw new IOException("cannot change attributes below " + path + ": " + x.stderrText().strip());
        }
        return true;
    }

    private static ModuleResult file(ModuleContext ctx, String path, FileStat st, String prior) throws IOException {
        HostOps host = ctx.host();
        FileStat target = st.isLink() && Args.bool(ctx.args(), "follow") ? host.stat(path, false, true) : st;
        if (!target.exists()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("state", "absent");
            return ModuleResult.failed("file (" + path + ") is absent, cannot continue", m);
        }
        if (target.isDirectory()) {
            return ModuleResult.failed("file (" + path + ") is directory, cannot continue",
                    Map.of("path", path, "state", "directory"));
        }
        FileAttrs attrs = FileSupport.attrs(ctx.args(), target.mode(), false);
        String beforeMode = FileSupport.modeString(target.mode());
        // a link's own stat says nothing about its target's attributes: only a plain file's stat can stand in
        boolean known = !target.isLink();
        boolean changed = known ? FileSupport.applyAttrs(ctx, path, attrs, target) : FileSupport.applyAttrs(ctx, path, attrs);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.putAll(known && !changed ? FileSupport.info(target) : FileSupport.info(host, path, true));
        if (ctx.checkMode() && attrs.mode() != null) m.put("mode", FileSupport.modeString(attrs.mode()));
        m.put("state", "file");
        if (changed) diff(ctx, m, path, prior, "file", beforeMode,
                attrs.mode() == null ? null : FileSupport.modeString(attrs.mode()));
        else diff(ctx, m, path, null, null, null, null);
        return ModuleResult.of(changed, m);
    }

    private static ModuleResult touch(ModuleContext ctx, String path, FileStat st, String prior) throws IOException {
        HostOps host = ctx.host();
        FileAttrs attrs = FileSupport.attrs(ctx.args(), st.exists() ? st.mode() : 0644, st.isDirectory());
        FileStat now = null;
        if (!ctx.checkMode()) {
            now = st;
            if (!st.exists()) {
                try {
                    now = host.writeFile(path, new byte[0], attrs);
                } catch (TransportException e) {
                    throw e;
                } catch (IOException e) {
                    // the directory is asked about only when the write failed: a round trip less when it is there
                    String parent = FileSupport.parent(path);
                    if (parent != null && !host.stat(parent, false, true).exists()) {
                        return ModuleResult.failed("Error, could not touch target: [Errno 2] No such file or directory: b'"
                                + path + "'", Map.of("path", path));
                    }
                    throw e;
                }
            } else {
                ExecResult r = host.exec(ExecSpec.argv(List.of("touch", "--", path)));
                if (r.rc() != 0) return ModuleResult.failed("could not touch " + path + ": " + r.stderrText().strip());
                // touch moves only the timestamps, which the summary does not show: the stat taken before stands
                boolean attrsChanged = st.isLink() ? host.setAttrs(path, attrs) : FileSupport.applyAttrs(ctx, path, attrs, st);
                if (st.isLink() || attrsChanged) now = null;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", path);
        m.putAll(now != null ? FileSupport.info(now) : FileSupport.info(host, path, true));
        if (!m.containsKey("state")) m.put("state", "file");
        diff(ctx, m, path, prior, "touch", null, null);
        // Ansible reports touch as changed every time: the timestamps move.
        return ModuleResult.of(true, m);
    }

    private static ModuleResult link(ModuleContext ctx, String path, FileStat st, String prior, String state)
            throws IOException {
        HostOps host = ctx.host();
        Map<String, Object> a = ctx.args();
        String src = Args.str(a, "src");
        if (src == null) return ModuleResult.failed("src is required for creating new " + state + "links");
        boolean force = Args.bool(a, "force");
        boolean changed;
        if (state.equals("link")) {
            if (st.isLink() && src.equals(st.linkTarget())) {
                changed = false;
            } else {
                if (st.exists() && !st.isLink() && !force) {
                    return ModuleResult.failed("refusing to convert from " + prior + " to symlink for " + path,
                            Map.of("path", path));
                }
                if (!st.exists() && !force && !src.startsWith("/")) {
                    // Relative targets resolve against the link's directory, as the kernel does.
                    String base = FileSupport.parent(path);
                    if (!host.stat((base == null ? "" : base + "/") + src, false, false).exists()) {
                        return ModuleResult.failed("src file does not exist, use \"force=yes\" if you really want to "
                                + "create the link: " + src, Map.of("path", path, "src", src));
                    }
                } else if (!st.exists() && !force && !host.stat(src, false, false).exists()) {
                    return ModuleResult.failed("src file does not exist, use \"force=yes\" if you really want to "
                            + "create the link: " + src, Map.of("path", path, "src", src));
                }
                changed = true;
                if (!ctx.checkMode()) {
                    if (st.exists() && st.isDirectory()) host.remove(path, false);
                    host.symlink(src, path);
                }
            }
        } else {
            changed = !sameInode(host, src, path);
            if (changed && st.exists() && !force && !st.isFile()) {
                return ModuleResult.failed("refusing to convert from " + prior + " to hard link for " + path);
            }
            if (changed && !ctx.checkMode()) {
                ExecResult r = host.exec(ExecSpec.argv(List.of("ln", "-f", "--", src, path)));
                if (r.rc() != 0) return ModuleResult.failed("cannot create hard link " + path + ": " + r.stderrText().strip());
            }
        }
        FileAttrs attrs = FileSupport.attrs(a, 0777, false);
        if (!attrs.isEmpty() && (!ctx.checkMode() || !changed)) {
            // Like Ansible with follow=yes, attributes on a symlink apply to its target.
            changed |= FileSupport.applyAttrs(ctx, path, attrs);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", path);
        m.put("src", src);
        m.putAll(FileSupport.info(host, path, false));
        m.put("state", state);
        if (changed) diff(ctx, m, path, prior, state, null, null);
        else diff(ctx, m, path, null, null, null, null);
        return ModuleResult.of(changed, m);
    }

    private static boolean sameInode(HostOps host, String a, String b) throws IOException {
        ExecResult r = host.exec(ExecSpec.argv(List.of("stat", "-L", "--printf", "%d:%i\n", "--", a, b)));
        if (r.rc() != 0) return false;
        String[] l = r.stdoutText().split("\n");
        return l.length == 2 && l[0].equals(l[1]);
    }

    /** Ansible's file diff: before/after with path, and state/mode only where they change. */
    private static void diff(ModuleContext ctx, Map<String, Object> m, String path, String beforeState,
                             String afterState, String beforeMode, String afterMode) {
        if (!ctx.diffMode()) return;
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        before.put("path", path);
        after.put("path", path);
        if (beforeState != null && !beforeState.equals(afterState)) {
            before.put("state", beforeState);
            after.put("state", afterState);
        }
        if (afterMode != null && !afterMode.equals(beforeMode)) {
            before.put("mode", beforeMode == null ? "0755" : beforeMode);
            after.put("mode", afterMode);
        }
        m.put("diff", Map.of("before", before, "after", after));
    }
}
