package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.text.Shlex;
import dev.drover.transport.ExecResult;
import dev.drover.transport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts bytes at a host path the way copy and template do: checksum idempotence, force, backup, validate,
 * attributes, check mode and diff. One place so copy, template and the directory walk behave the same.
 */
final class PutFile {
    private PutFile() {}

    /** Largest content shown in a diff; Ansible's default max_diff_size is 100 KiB. */
    static final int MAX_DIFF = 104_448;

    record Options(boolean backup, boolean force, String validate, boolean follow, Map<String, Object> attrArgs) {}

    /** Writes (or, in check mode, decides) one file; returns Ansible's result values, or a failure. */
    static ModuleResult put(ModuleContext ctx, String given, byte[] content, Options o, String src) throws IOException {
        return put(ctx, given, null, content, o, src);
    }

    /**
     * The same, where a {@code given} that names an existing directory receives the file under {@code intoDir}
     * (copy and template of a file); found out by the stat the write needs anyway, not by a stat of its own.
     */
    static ModuleResult put(ModuleContext ctx, String given, String intoDir, byte[] content, Options o, String src)
            throws IOException {
        HostOps host = ctx.host();
        FileStat st = host.stat(given, true, true);
        if (st.isDirectory() && intoDir != null) {
            given = given + "/" + intoDir;
            st = host.stat(given, true, true);
        }
        String dest = given;
        // follow=yes writes through a symlinked dest; follow=no (the default) replaces the link, as in Ansible.
        // A stat that follows links still names the link's target, so only a missing dest needs asking.
        if (o.follow() && (st.exists() ? st.linkTarget() != null : host.stat(given, false, false).isLink())) {
            dest = FileSupport.realpath(host, given);
            st = host.stat(dest, true, true);
        }
        if (st.exists() && st.isDirectory()) {
            return ModuleResult.failed(src == null ? "can not use content with a dir as dest" : "destination " + dest + " is a directory");
        }
        String parent = FileSupport.parent(dest);
        // A new file's directory is checked before the write only when nothing will be written (check mode) or
        // something else is written there first (validate); otherwise a failed write asks, saving a round trip.
        boolean newFile = !st.exists() && parent != null;
        boolean parentFirst = newFile && (ctx.checkMode() || o.validate() != null);
        if (parentFirst) {
            String problem = parentProblem(host, parent);
            if (problem != null) return ModuleResult.failed(problem);
        }
        if (st.exists() && !o.force()) {
            // Ansible's force=no: an existing file is left entirely alone, attributes included.
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dest", dest);
            if (src != null) m.put("src", src);
            return ModuleResult.of(false, m);
        }
        String checksum = FileSupport.sha1(content);
        boolean contentChanges = !st.exists() || !checksum.equals(st.checksum());
        FileAttrs attrs;
        try {
            attrs = FileSupport.attrs(o.attrArgs(), st.exists() ? st.mode() : 0644, false);
        } catch (IllegalArgumentException e) {
            return ModuleResult.failed(e.getMessage());
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dest", dest);
        if (src != null) r.put("src", src);
        r.put("checksum", checksum);
        if (ctx.diffMode() && contentChanges) {
            String before = "";
            if (st.exists()) {
                before = st.size() > MAX_DIFF ? "(file too large to show)" : diffText(host.readFile(dest));
            }
            String after = content.length > MAX_DIFF ? "(file too large to show)" : diffText(content);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("before", before);
            d.put("after", after);
            d.put("before_header", dest);
            d.put("after_header", src != null ? src : "dynamically generated");
            r.put("diff", d);
        }
        boolean changed = contentChanges;
        if (contentChanges) {
            if (ctx.checkMode()) {
                // Like Ansible: a copy that would change content reports only that (and the diff) in check mode.
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("dest", dest);
                if (r.containsKey("diff")) c.put("diff", r.get("diff"));
                return ModuleResult.of(true, c);
            }
            if (o.validate() != null) {
                String problem = validate(host, dest, content, o.validate());
                if (problem != null) return ModuleResult.failed(problem, r);
            }
            r.put("md5sum", FileSupport.md5(content));
            if (o.backup() && st.exists()) r.put("backup_file", FileSupport.backup(host, dest));
            // Mode and ownership for a new file are applied with the write so it never appears with wrong ones.
            FileStat written;
            try {
                written = host.writeFile(dest, content, attrs);
            } catch (TransportException e) {
                throw e;
            } catch (IOException e) {
                String problem = newFile && !parentFirst ? parentProblem(host, parent) : null;
                if (problem != null) return ModuleResult.failed(problem);
                throw e;
            }
            r.putAll(FileSupport.info(written));
        } else if (st.exists()) {
            changed = FileSupport.applyAttrs(ctx, dest, attrs, st);
            r.putAll(changed && !ctx.checkMode() ? FileSupport.info(host, dest, true) : FileSupport.info(st));
        }
        if (ctx.checkMode() && attrs.mode() != null) r.put("mode", FileSupport.modeString(attrs.mode()));
        r.put("state", "file");
        return ModuleResult.of(changed, r);
    }

    /** Ansible's message when a new file's directory is missing or is not a directory; null when it is fine. */
    private static String parentProblem(HostOps host, String parent) throws IOException {
        FileStat ps = host.stat(parent, false, true);
        if (!ps.exists()) return "Destination directory " + parent + " does not exist";
        if (!ps.isDirectory()) return "Destination " + parent + " is not a directory";
        return null;
    }

    private static String diffText(byte[] b) {
        for (byte x : b) if (x == 0) return "(binary file)";
        return FileSupport.text(b);
    }

    /**
     * Ansible's validate: the command (split like command's free form) with {@code %s} replaced by a temporary
     * copy of the new content; it runs as argv, so the content path is never shell.
     */
    static String validate(HostOps host, String dest, byte[] content, String command) throws IOException {
        if (!command.contains("%s")) return "validate must contain %s: " + command;
        String parent = FileSupport.parent(dest);
        String tmp = (parent == null ? "." : parent) + "/.drover-validate." + Long.toHexString(System.nanoTime());
        host.writeFile(tmp, content, new FileAttrs(0600, null, null));
        try {
            List<String> argv = new ArrayList<>();
            for (String t : Shlex.split(command)) argv.add(t.replace("%s", tmp));
            ExecResult r = host.exec(ExecSpec.argv(argv));
            if (r.rc() != 0) {
                return "failed to validate: rc:" + r.rc() + " error:" + r.stderrText().strip();
            }
            return null;
        } finally {
            host.remove(tmp, false);
        }
    }

    static Options options(Map<String, Object> a) {
        return new Options(Args.bool(a, "backup"), Args.bool(a, "force"), Args.str(a, "validate"), Args.bool(a, "follow"), a);
    }
}
