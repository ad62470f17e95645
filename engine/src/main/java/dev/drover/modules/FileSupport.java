package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the file-writing modules share: modes, owners, backups, diffs and the path summary Ansible returns. */
final class FileSupport {
    private FileSupport() {}

    private static final DateTimeFormatter BACKUP_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss");

    /** Adds Ansible's common file arguments (mode, owner, group) to a spec builder. */
    static ArgSpec.Builder attrArgs(ArgSpec.Builder b) {
        return b.add("mode", ArgSpec.Type.RAW, false, null)
                .add("owner", ArgSpec.Type.STR, false, null)
                .add("group", ArgSpec.Type.STR, false, null);
    }

    /**
     * The attributes the task asks for, with {@code mode} resolved against the current mode: an integer is
     * taken as is (YAML's 0644 already is 420), a string is octal ("0644", "644") or symbolic ("u=rw,g+r").
     */
    static FileAttrs attrs(Map<String, Object> a, int currentMode, boolean isDir) {
        return new FileAttrs(parseMode(a.get("mode"), currentMode, isDir), Args.str(a, "owner"), Args.str(a, "group"));
    }

    static Integer parseMode(Object mode, int current, boolean isDir) {
        if (mode == null) return null;
        if (mode instanceof Number n) return n.intValue() & 07777;
        String s = mode.toString().trim();
        if (s.matches("[0-7]{1,4}")) return Integer.parseInt(s, 8);
        if (s.equals("preserve")) return null;
        return symbolic(s, current, isDir);
    }

    /** chmod's symbolic modes: who (ugoa) op (+-=) perms (rwxXst), comma separated. */
    private static int symbolic(String spec, int mode, boolean isDir) {
        for (String clause : spec.split(",")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([ugoa]*)([+=-])([rwxXst]*)").matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("mode '" + spec + "' must be octal (like '0644') or symbolic (like 'u=rw,g=r')");
            }
            String who = m.group(1).isEmpty() ? "a" : m.group(1);
            int mask = 0;
            for (char w : who.toCharArray()) {
                mask |= switch (w) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
            }
            int bits = 0;
            for (char p : m.group(3).toCharArray()) {
                bits |= switch (p) {
                    case 'r' -> 0444;
                    case 'w' -> 0222;
                    case 'x' -> 0111;
                    case 'X' -> (isDir || (mode & 0111) != 0) ? 0111 : 0;
                    case 's' -> 06000;
                    default -> 01000;
                };
            }
            bits &= mask;
            switch (m.group(2)) {
                case "+" -> mode |= bits;
                case "-" -> mode &= ~bits;
                default -> mode = (mode & ~mask) | bits;
            }
        }
        return mode & 07777;
    }

    /** Whether applying attrs would change the path (for check mode and diffs), without touching it. */
    static boolean attrsDiffer(HostOps host, String path, FileAttrs attrs) throws IOException {
        return !attrs.isEmpty() && attrsDiffer(host.stat(path, false, true), attrs);
    }

    /** The same against a stat the caller already has (following links), without a round trip. */
    static boolean attrsDiffer(FileStat st, FileAttrs attrs) {
        if (attrs.isEmpty()) return false;
        if (!st.exists()) return true;
        if (attrs.mode() != null && (attrs.mode() & 07777) != st.mode()) return true;
        if (attrs.owner() != null && !attrs.owner().equals(st.owner()) && !attrs.owner().equals(String.valueOf(st.uid()))) {
            return true;
        }
        return attrs.group() != null && !attrs.group().equals(st.group()) && !attrs.group().equals(String.valueOf(st.gid()));
    }

    /** Applies attrs, or in check mode only reports whether they would change anything. */
    static boolean applyAttrs(ModuleContext ctx, String path, FileAttrs attrs) throws IOException {
        if (attrs.isEmpty()) return false;
        if (ctx.checkMode()) return attrsDiffer(ctx.host(), path, attrs);
        return ctx.host().setAttrs(path, attrs);
    }

    /**
     * Like {@link #applyAttrs(ModuleContext, String, FileAttrs)} with the path's current stat (following links)
     * already known: when nothing differs, no round trip at all.
     */
    static boolean applyAttrs(ModuleContext ctx, String path, FileAttrs attrs, FileStat current) throws IOException {
        if (!attrsDiffer(current, attrs)) return false;
        return ctx.checkMode() || ctx.host().setAttrs(path, attrs);
    }

    static String modeString(int mode) {
        return String.format("%04o", mode & 07777);
    }

    /**
     * The path summary Ansible adds to file/copy results: uid, gid, owner, group, mode, size, state; empty when
     * the path is missing.
     */
    static Map<String, Object> info(HostOps host, String path, boolean follow) throws IOException {
        return info(host.stat(path, false, follow));
    }

    /** The same from a stat the caller already has. */
    static Map<String, Object> info(FileStat st) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!st.exists()) return m;
        m.put("uid", st.uid());
        m.put("gid", st.gid());
        m.put("owner", st.owner());
        m.put("group", st.group());
        m.put("mode", modeString(st.mode()));
        m.put("size", st.size());
        m.put("state", st.isDirectory() ? "directory" : st.isLink() ? "link" : "file");
        return m;
    }

    /** Copies the file beside itself with Ansible's backup name ({@code file.PID.YYYY-mm-dd@HH:MM:SS~}). */
    static String backup(HostOps host, String path) throws IOException {
        String dest = path + "." + ProcessHandle.current().pid() + "." + BACKUP_TS.format(LocalDateTime.now()) + "~";
        ExecResult r = host.exec(ExecSpec.argv(List.of("cp", "-p", "--", path, dest)));
        if (r.rc() != 0) throw new IOException("cannot back up " + path + ": " + r.stderrText().strip());
        return dest;
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A text diff entry as Ansible's file-content modules return it. */
    static Map<String, Object> contentDiff(String path, String before, String after) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", before);
        d.put("after", after);
        d.put("before_header", path + " (content)");
        d.put("after_header", path + " (content)");
        return d;
    }

    /** The parent directory of an absolute path, or null for "/" and relative names. */
    static String parent(String path) {
        int i = path.lastIndexOf('/');
        if (i <= 0) return i == 0 && path.length() > 1 ? "/" : null;
        return path.substring(0, i);
    }

    /** Ansible's permission flags (rusr, wusr, ... xoth) for a mode, as stat and find return them. */
    static void permissionFlags(int mode, Map<String, Object> into) {
        String[] names = {"xoth", "woth", "roth", "xgrp", "wgrp", "rgrp", "xusr", "wusr", "rusr"};
        for (int bit = 0; bit < names.length; bit++) into.put(names[bit], (mode & (1 << bit)) != 0);
    }

    /**
     * The path with every symlink resolved ({@code readlink -f}), for modules that edit a file through a link as
     * Ansible does (lineinfile, blockinfile, copy/template with follow=yes). A missing final component is fine.
     */
    static String realpath(HostOps host, String path) throws IOException {
        ExecResult r = host.exec(ExecSpec.argv(List.of("readlink", "-f", "--", path)));
        String out = r.stdoutText();
        if (out.endsWith("\n")) out = out.substring(0, out.length() - 1);
        return r.rc() == 0 && !out.isEmpty() ? out : path;
    }
}
