package dev.drover.host;

import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.ShellQuote;
import dev.drover.transport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Agentless {@link HostOps}: every primitive is one POSIX {@code sh} command line (coreutils on the host) or a
 * file transfer through the {@link Connection}. Every value that reaches a command line goes through
 * {@link ShellQuote}, so paths, environment values and arguments are data, never shell syntax.
 */
public final class ShellHostOps implements HostOps {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Connection conn;

    /** The login shell's umask, asked once per connection (null until then); new files get 0666 minus it. */
    private volatile Integer umask;

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

    /** The raw fields of one {@code stat} call, including the numeric ids FileStat does not carry. */
    record Raw(FileStat stat, int uid, int gid) {}

    Raw rawStat(String path, boolean checksum, boolean follow) throws IOException {
        String p = ShellQuote.quote(path);
        String exists = follow ? "[ -e " + p + " ]" : "{ [ -e " + p + " ] || [ -L " + p + " ]; }";
        String flag = follow ? "-L " : "";
        // One round trip: the stat fields, then the checksum line, then the link target (last: it may hold newlines).
        String line = "if " + exists + "; then stat " + flag + "--printf '%F\\n%s\\n%a\\n%U\\n%G\\n%Y\\n%u\\n%g\\n' -- " + p
                + " || exit 3; "
                + (checksum ? "if [ -f " + p + " ]; then sha1sum < " + p + " | cut -d' ' -f1 || exit 3; else echo; fi; "
                            : "echo; ")
                + "if [ -L " + p + " ]; then readlink -- " + p + "; fi; else echo MISSING; fi";
        String out = run(line, "cannot stat " + path);
        if (out.startsWith("MISSING")) return new Raw(FileStat.missing(path), -1, -1);
        String[] f = out.split("\n", 10);
        if (f.length < 9) throw new IOException("cannot stat " + path + ": unexpected output from stat: " + out);
        String type = switch (f[0]) {
            case "regular file", "regular empty file" -> "file";
            case "directory" -> "directory";
            case "symbolic link" -> "link";
            default -> "other";
        };
        String link = f.length > 9 && !f[9].isEmpty() ? stripOneNewline(f[9]) : null;
        String sum = f[8].isBlank() ? null : f[8].strip();
        FileStat st = new FileStat(true, path, type, Long.parseLong(f[1]), Integer.parseInt(f[2], 8), f[3], f[4],
                Long.parseLong(f[5]), link, sum);
        return new Raw(st, Integer.parseInt(f[6]), Integer.parseInt(f[7]));
    }

    private static String stripOneNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
        return rawStat(path, checksum, follow).stat();
    }

    @Override
    public void writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
        Raw before = rawStat(path, false, false);
        FileAttrs effective = attrs == null ? FileAttrs.NONE : attrs;
        // Replacing a file must not silently reset its mode or ownership (Ansible's atomic_move keeps them),
        // so unspecified attributes are carried over from the file being replaced.
        if (before.stat().exists() && before.stat().isFile()) {
            effective = new FileAttrs(
                    effective.mode() != null ? effective.mode() : before.stat().mode(),
                    effective.owner() != null ? effective.owner() : String.valueOf(before.uid()),
                    effective.group() != null ? effective.group() : String.valueOf(before.gid()));
        }
        if (!before.stat().exists() && effective.mode() == null) {
            // The transport's temp file may be 0600; a new file should get what any tool on the host would give it.
            effective = new FileAttrs(0666 & ~umask(), effective.owner(), effective.group());
        }
        try {
            conn.upload(content, path, effective.mode() == null ? -1 : effective.mode());
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write " + path + ": " + describe(e), e);
        }
        if (effective.owner() != null || effective.group() != null) {
            setAttrs(path, new FileAttrs(null, effective.owner(), effective.group()));
        }
    }

    private int umask() throws IOException {
        Integer u = umask;
        if (u == null) {
            String out = run("umask", "cannot read the umask").strip();
            try {
                u = Integer.parseInt(out, 8) & 0777;
            } catch (NumberFormatException e) {
                u = 022;
            }
            umask = u;
        }
        return u;
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        try {
            return conn.download(path);
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read " + path + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException fe && fe.getReason() != null) return fe.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void mkdirs(String path, FileAttrs attrs) throws IOException {
        run("mkdir -p -- " + ShellQuote.quote(path), "cannot create directory " + path);
        if (attrs != null && !attrs.isEmpty()) setAttrs(path, attrs);
    }

    @Override
    public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
        if (attrs == null || attrs.isEmpty()) return false;
        Raw r = rawStat(path, false, true);
        if (!r.stat().exists()) throw new IOException("cannot change attributes of " + path + ": no such file or directory");
        List<String> cmds = new ArrayList<>();
        String p = ShellQuote.quote(path);
        boolean ownerDiffers = attrs.owner() != null && !sameId(attrs.owner(), r.stat().owner(), r.uid());
        boolean groupDiffers = attrs.group() != null && !sameId(attrs.group(), r.stat().group(), r.gid());
        // chown before chmod: chown clears setuid/setgid bits that the requested mode may set.
        if (ownerDiffers || groupDiffers) {
            String spec = (ownerDiffers ? attrs.owner() : "") + (groupDiffers ? ":" + attrs.group() : "");
            cmds.add("chown -- " + ShellQuote.quote(spec) + " " + p);
        }
        if (attrs.mode() != null && (attrs.mode() & 07777) != r.stat().mode()) {
            cmds.add("chmod -- " + Integer.toOctalString(attrs.mode() & 07777) + " " + p);
        }
        if (cmds.isEmpty()) return false;
        run(String.join(" && ", cmds), "cannot change attributes of " + path);
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
