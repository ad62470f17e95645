package dev.drover.host;

import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.ShellQuote;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Agentless {@link HostOps}: every primitive is one POSIX {@code sh} command line (GNU coreutils on the host) on
 * an exec channel of the {@link Connection}; file content travels on that command's stdin or stdout, so a write or
 * a read is one round trip, not an SFTP session. Every value that reaches a command line goes through
 * {@link ShellQuote}, so paths, environment values and arguments are data, never shell syntax.
 */
public final class ShellHostOps implements HostOps {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Connection conn;

    public ShellHostOps(Connection conn) {
        this.conn = conn;
    }

    @Override
    public ExecResult exec(ExecSpec spec) throws IOException {
        StringBuilder line = new StringBuilder();
        // Environment is exported inside the command line rather than sent as channel variables: sshd
        // accepts only the names listed in AcceptEnv, and the agent sets them for the process directly.
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new IOException("invalid environment variable name '" + e.getKey() + "'");
            }
            line.append("export ").append(e.getKey()).append('=').append(ShellQuote.quote(e.getValue())).append("; ");
        }
        if (spec.chdir() != null) {
            line.append("cd -- ").append(ShellQuote.quote(spec.chdir())).append(" || exit 1; ");
        }
        if (spec.argv() != null) {
            if (spec.argv().isEmpty()) throw new IOException("no command given");
            // "exec" so the exit status and signals are the program's own, as with the agent's direct spawn.
            line.append("exec ").append(ShellQuote.join(spec.argv()));
        } else {
            // A nested sh keeps the user's line intact: its own ';', '&&' or 'exit' cannot interact with the prefix.
            line.append("exec /bin/sh -c ").append(ShellQuote.quote(spec.shell()));
        }
        ExecOptions opts = new ExecOptions(spec.stdin(), spec.timeout(), Map.of());
        return conn.exec(line.toString(), opts);
    }

    /** Runs a helper line and fails with its stderr when it does not succeed. */
    private String run(String line, String what) throws IOException {
        ExecResult r = conn.exec(line, ExecOptions.NONE);
        if (r.rc() != 0) {
            String err = r.stderrText().strip();
            throw new IOException(what + ": " + (err.isEmpty() ? "exit code " + r.rc() : err));
        }
        return r.stdoutText();
    }

    /** stat's fields, one per line, in the order {@link #parseStat} reads them. */
    private static final String STAT_FORMAT = "'%F\\n%s\\n%a\\n%U\\n%G\\n%Y\\n%u\\n%g\\n'";

    @Override
    public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
        String p = ShellQuote.quote(path);
        String exists = follow ? "[ -e " + p + " ]" : "{ [ -e " + p + " ] || [ -L " + p + " ]; }";
        String flag = follow ? "-L " : "";
        // One round trip: the stat fields, then the checksum line, then the link target (last: it may hold newlines).
        String line = "if " + exists + "; then stat " + flag + "--printf " + STAT_FORMAT + " -- " + p + " || exit 3; "
                + (checksum ? "if [ -f " + p + " ]; then sha1sum < " + p + " || exit 3; else echo; fi; "
                            : "echo; ")
                + "if [ -L " + p + " ]; then readlink -- " + p + "; fi; else echo MISSING; fi";
        String out = run(line, "cannot stat " + path);
        if (out.startsWith("MISSING")) return FileStat.missing(path);
        String[] f = out.split("\n", 10);
        if (f.length < 9) throw new IOException("cannot stat " + path + ": unexpected output from stat: " + out);
        String link = f.length > 9 && !f[9].isEmpty() ? stripOneNewline(f[9]) : null;
        // sha1sum prints "<sum>  -"; cutting it here spares a process on the host
        String sum = f[8].isBlank() ? null : f[8].strip().split(" ", 2)[0];
        return parseStat(path, f, link, sum);
    }

    private static FileStat parseStat(String path, String[] f, String link, String checksum) {
        String type = switch (f[0]) {
            case "regular file", "regular empty file" -> "file";
            case "directory" -> "directory";
            case "symbolic link" -> "link";
            default -> "other";
        };
        return new FileStat(true, path, type, Long.parseLong(f[1]), Integer.parseInt(f[2], 8), f[3], f[4],
                Integer.parseInt(f[6]), Integer.parseInt(f[7]), Long.parseLong(f[5]), link, checksum);
    }

    private static String stripOneNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * One exec, the content on its stdin: written to a temp file beside the target (created exclusively, with the
     * login shell's umask), given its attributes, renamed over the target, then stat'ed. Replacing a regular file
     * keeps its mode and ownership unless new ones are given, as Ansible's atomic_move does (ownership quietly:
     * only root may give a file away). Before, this was a stat, an SFTP session (a subsystem process and six round
     * trips) and a chown: the agentless files playbook spent most of its time there.
     */
    @Override
    public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
        FileAttrs a = attrs == null ? FileAttrs.NONE : attrs;
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IOException("cannot write " + path + ": it names a directory, not a file");
        }
        String tmp = path.substring(0, slash + 1) + ".drover-tmp." + Long.toHexString(System.nanoTime())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()) + "." + name;
        String p = ShellQuote.quote(path);
        String t = ShellQuote.quote(tmp);
        StringBuilder line = new StringBuilder("set -C; ")
                .append("if [ -d ").append(p).append(" ] && [ ! -L ").append(p).append(" ]; then echo 'it is a directory' >&2; exit 4; fi; ")
                .append("if [ -f ").append(p).append(" ] && [ ! -L ").append(p).append(" ]; then R=1; else R=; fi; ")
                .append("cat > ").append(t).append(" || { rm -f -- ").append(t).append("; exit 1; }; ")
                .append("{ if [ -n \"$R\" ]; then chown --reference=").append(p).append(" -- ").append(t).append(" 2>/dev/null || :; fi; ");
        line.append(chownThen(a, t)).append(a.mode() != null ? chmod(a.mode(), t)
                : "if [ -n \"$R\" ]; then chmod --reference=" + p + " -- " + t + "; fi");
        line.append(" && mv -f -- ").append(t).append(' ').append(p).append("; } || { rm -f -- ").append(t).append("; exit 1; }; ")
                .append("stat --printf ").append(STAT_FORMAT).append(" -- ").append(p);
        ExecResult r = conn.exec(line.toString(), ExecOptions.NONE.withStdin(content));
        if (r.rc() != 0) throw new IOException("cannot write " + path + ": " + reason(r));
        return statPrinted(path, r.stdoutText(), "cannot write " + path);
    }

    /** The stat a helper printed last (STAT_FORMAT, no checksum, no link target). */
    private static FileStat statPrinted(String path, String out, String what) throws IOException {
        String[] f = out.split("\n", 9);
        if (f.length < 8) throw new IOException(what + ": unexpected output from stat: " + out);
        return parseStat(path, f, null, null);
    }

    /**
     * {@code chown -- OWNER:GROUP TARGET && } for the owner and group given (either may be null), else nothing;
     * it goes before chmod, because chown clears setuid/setgid bits that the requested mode may set.
     */
    private static String chownThen(String owner, String group, String target) {
        if (owner == null && group == null) return "";
        String spec = (owner != null ? owner : "") + (group != null ? ":" + group : "");
        return "chown -- " + ShellQuote.quote(spec) + " " + target + " && ";
    }

    private static String chownThen(FileAttrs a, String target) {
        return chownThen(a.owner(), a.group(), target);
    }

    private static String chmod(int mode, String target) {
        return "chmod -- " + Integer.toOctalString(mode & 07777) + " " + target;
    }

    /** What went wrong, from a failed helper's stderr: the shell's or tool's last clause ("Permission denied"). */
    private static String reason(ExecResult r) {
        String err = r.stderrText().strip();
        if (err.isEmpty()) return "exit code " + r.rc();
        String last = err.substring(err.lastIndexOf('\n') + 1);
        int colon = last.lastIndexOf(": ");
        return colon >= 0 && colon + 2 < last.length() ? last.substring(colon + 2) : last;
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        ExecResult r = conn.exec("cat -- " + ShellQuote.quote(path), ExecOptions.NONE);
        if (r.rc() != 0) throw new IOException("cannot read " + path + ": " + reason(r));
        return r.stdout();
    }

    @Override
    public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
        String p = ShellQuote.quote(path);
        StringBuilder line = new StringBuilder();
        boolean withAttrs = attrs != null && !attrs.isEmpty();
        if (withAttrs) {
            // the directories about to be created, collected (as the positional parameters, safe for any name)
            // before mkdir; the existing last directory gets the attributes too
            line.append("set --; q=").append(p).append("; while [ -n \"$q\" ] && [ ! -e \"$q\" ] && [ ! -L \"$q\" ]; do ")
                    .append("set -- \"$@\" \"$q\"; case $q in */*) q=${q%/*} ;; *) q= ;; esac; done; ")
                    .append("[ $# -eq 0 ] && set -- ").append(p).append("; ");
        }
        line.append("mkdir -p -- ").append(p);
        // one round trip with the attributes and the resulting stat
        if (withAttrs) {
            line.append(" && for d in \"$@\"; do ").append(chownThen(attrs, "\"$d\""))
                    .append(attrs.mode() != null ? chmod(attrs.mode(), "\"$d\"") : ":").append(" || exit 1; done");
        }
        line.append(" && stat -L --printf ").append(STAT_FORMAT).append(" -- ").append(p);
        String what = "cannot create directory " + path;
        return statPrinted(path, run(line.toString(), what), what);
    }

    @Override
    public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
        if (attrs == null || attrs.isEmpty()) return false;
        FileStat st = stat(path, false, true);
        if (!st.exists()) throw new IOException("cannot change attributes of " + path + ": no such file or directory");
        String p = ShellQuote.quote(path);
        boolean ownerDiffers = attrs.owner() != null && !sameId(attrs.owner(), st.owner(), st.uid());
        boolean groupDiffers = attrs.group() != null && !sameId(attrs.group(), st.group(), st.gid());
        boolean modeDiffers = attrs.mode() != null && (attrs.mode() & 07777) != st.mode();
        if (!ownerDiffers && !groupDiffers && !modeDiffers) return false;
        run(chownThen(ownerDiffers ? attrs.owner() : null, groupDiffers ? attrs.group() : null, p)
                + (modeDiffers ? chmod(attrs.mode(), p) : ":"), "cannot change attributes of " + path);
        return true;
    }

    private static boolean sameId(String wanted, String name, int id) {
        return wanted.equals(name) || wanted.equals(String.valueOf(id));
    }

    @Override
    public void symlink(String target, String link) throws IOException {
        String tmp = link + ".drover-ln." + Long.toHexString(System.nanoTime());
        // Create beside the link then rename over it, so the link never disappears for a moment.
        run("ln -s -- " + ShellQuote.quote(target) + " " + ShellQuote.quote(tmp) + " && mv -Tf -- "
                + ShellQuote.quote(tmp) + " " + ShellQuote.quote(link) + " || { rm -f -- " + ShellQuote.quote(tmp)
                + "; exit 1; }", "cannot create link " + link);
    }

    @Override
    public boolean remove(String path, boolean recursive) throws IOException {
        String p = ShellQuote.quote(path);
        String line = "if [ -L " + p + " ] || [ -e " + p + " ]; then "
                + (recursive ? "rm -rf -- " + p : "if [ -d " + p + " ] && [ ! -L " + p + " ]; then rmdir -- " + p
                        + "; else rm -f -- " + p + "; fi")
                + " && echo removed; else echo absent; fi";
        return run(line, "cannot remove " + path).startsWith("removed");
    }

    @Override
    public Map<String, Object> facts() throws IOException {
        return HostFacts.parse(run(HostFacts.SCRIPT, "cannot gather facts"));
    }

    @Override
    public String mode() {
        return "agentless";
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
