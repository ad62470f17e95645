package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.text.Shlex;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What command, shell, raw and script share: inline options, creates/removes, running and shaping the result. */
final class CommandSupport {
    private CommandSupport() {}

    /** Options Ansible accepts inline in free-form text ({@code command: pg_ctl start chdir=/x}). */
    static final Set<String> INLINE = Set.of("creates", "removes", "chdir", "executable", "stdin",
            "stdin_add_newline", "strip_empty_ends");

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /**
     * Cuts known {@code key=value} tokens out of free-form text into {@code args} (an explicit argument wins),
     * returning the rest unchanged so a shell line keeps its quoting. Idempotent when the loader already did it.
     */
    static String extractInline(String raw, Map<String, Object> args) {
        List<Shlex.Token> toks;
        try {
            toks = Shlex.tokens(raw);
        } catch (IllegalArgumentException e) {
            return raw; // unbalanced quotes: leave the text for the shell or the argv split to report
        }
        StringBuilder rest = new StringBuilder();
        int last = 0;
        for (Shlex.Token t : toks) {
            int eq = t.value().indexOf('=');
            String key = eq > 0 ? t.value().substring(0, eq) : null;
            if (key != null && INLINE.contains(key) && raw.substring(t.start(), t.end()).startsWith(key + "=")) {
                if (args.get(key) == null) args.put(key, t.value().substring(eq + 1));
                rest.append(raw, last, t.start());
                last = t.end();
            }
        }
        rest.append(raw.substring(last));
        return rest.toString().strip();
    }

    /** Ansible's creates/removes decision: a result when the command must not run, else null. */
    static ModuleResult skipByCreatesRemoves(HostOps host, Object cmd, String creates, String removes)
            throws IOException {
        if (creates != null && pathExists(host, creates)) {
            return notRun(cmd, "Did not run command since '" + creates + "' exists", "skipped, since " + creates + " exists");
        }
        if (removes != null && !pathExists(host, removes)) {
            return notRun(cmd, "Did not run command since '" + removes + "' does not exist",
                    "skipped, since " + removes + " does not exist");
        }
        return null;
    }

    private static ModuleResult notRun(Object cmd, String msg, String stdout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", cmd);
        m.put("rc", 0);
        m.put("stdout", stdout);
        m.put("stdout_lines", List.of(stdout));
        m.put("stderr", "");
        m.put("stderr_lines", List.of());
        m.put("start", null);
        m.put("end", null);
        m.put("delta", null);
        m.put("msg", msg);
        return ModuleResult.of(false, m);
    }

    /**
     * Exists, with Ansible's glob semantics for the last path component. The glob is matched by
     * {@code find -name} given as an argument, so the pattern is never shell syntax.
     */
    static boolean pathExists(HostOps host, String pattern) throws IOException {
        int slash = pattern.lastIndexOf('/');
        String name = pattern.substring(slash + 1);
        if (!name.matches(".*[*?\\[].*")) return host.stat(pattern, false, false).exists();
        String dir = slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash);
        ExecResult r = host.exec(ExecSpec.argv(List.of("find", dir, "-mindepth", "1", "-maxdepth", "1", "-name", name)));
        return r.rc() == 0 && !r.stdoutText().isBlank();
    }

    /** Fails the way Ansible does when chdir is missing; null when it is fine. */
    static ModuleResult checkChdir(HostOps host, String chdir, Object cmd) throws IOException {
        if (chdir == null) return null;
        FileStat st = host.stat(chdir, false, true);
        if (st.exists() && st.isDirectory()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", cmd);
        m.put("rc", null);
        m.put("stdout", "");
        m.put("stdout_lines", List.of());
        m.put("stderr", "");
        m.put("stderr_lines", List.of());
        return ModuleResult.failed("Unable to change directory before execution: [Errno "
                + (st.exists() ? "20] Not a directory" : "2] No such file or directory") + ": b'" + chdir + "'", m);
    }

    static byte[] stdin(Object stdin, boolean addNewline) {
        if (stdin == null) return null;
        String s = stdin.toString();
        return (addNewline ? s + "\n" : s).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs and shapes the result like Ansible's command module; a non-zero rc fails with its message. */
    static ModuleResult run(HostOps host, ExecSpec spec, Object cmd, boolean stripEmptyEnds) throws IOException {
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        ExecResult r = host.exec(spec);
        long nanos = System.nanoTime() - t0;
        LocalDateTime end = LocalDateTime.now();
        String out = r.stdoutText();
        String err = r.stderrText();
        if (stripEmptyEnds) {
            out = stripEnds(out);
            err = stripEnds(err);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", cmd);
        m.put("rc", r.rc());
        m.put("stdout", out);
        m.put("stdout_lines", lines(out));
        m.put("stderr", err);
        m.put("stderr_lines", lines(err));
        m.put("start", TS.format(start));
        m.put("end", TS.format(end));
        m.put("delta", delta(Duration.ofNanos(nanos)));
        if (r.rc() != 0) return ModuleResult.failed("non-zero return code", withChanged(m));
        m.put("msg", "");
        return ModuleResult.of(true, m);
    }

    private static Map<String, Object> withChanged(Map<String, Object> m) {
        // Ansible reports a command that ran and failed as changed: it did run.
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("changed", true);
        c.putAll(m);
        return c;
    }

    static String stripEnds(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == '\n' || s.charAt(e - 1) == '\r')) e--;
        return s.substring(0, e);
    }

    /** Python's str.splitlines for the common separators. */
    static List<String> lines(String s) {
        List<String> l = new ArrayList<>();
        if (s.isEmpty()) return l;
        for (String x : s.split("\r\n|\n|\r", -1)) l.add(x);
        if (s.endsWith("\n") || s.endsWith("\r")) l.remove(l.size() - 1);
        return l;
    }

    static String delta(Duration d) {
        long micros = d.toNanos() / 1000;
        long secs = micros / 1_000_000;
        return String.format("%d:%02d:%02d.%06d", secs / 3600, (secs / 60) % 60, secs % 60, micros % 1_000_000);
    }
}
