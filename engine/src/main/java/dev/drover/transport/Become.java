package dev.drover.transport;

import dev.drover.error.UserError;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Privilege escalation, Ansible's {@code become}: run commands as another user through {@code sudo} or
 * {@code su}. Immutable; {@link #toString()} never shows the password.
 *
 * <p>{@link #wrap} turns a command into a {@link Command}: the text to run plus what to write on stdin
 * when (and only when) the password prompt shows up. {@link BecomeConnection} performs that handshake for
 * {@code exec} and {@code start} on any {@link Connection}.
 *
 * <p>Variables ({@link #fromVars}): {@code ansible_become}, {@code ansible_become_user} (default root),
 * {@code ansible_become_method} ({@code sudo} default, {@code su}), {@code ansible_become_flags} (sudo
 * default {@code -H -S -n}, su default none), {@code ansible_become_password} / {@code ansible_become_pass}
 * (also {@code ansible_sudo_pass}, {@code ansible_su_pass}), {@code ansible_become_exe}. Task keywords
 * ({@code become:}, {@code become_user:}) are applied by the caller with {@link #withUser} / {@link #enabled}.
 */
public record Become(boolean enabled, String user, Method method, String flags, String password, String exe,
                     Duration promptTimeout) {

    public static final Become NONE = new Become(false, "root", Method.SUDO, null, null, null, null);
    public static final Duration DEFAULT_PROMPT_TIMEOUT = Duration.ofSeconds(10);

    public enum Method {
        SUDO("sudo", "-H -S -n"),
        SU("su", "");

        private final String exe;
        private final String defaultFlags;

        Method(String exe, String defaultFlags) {
            this.exe = exe;
            this.defaultFlags = defaultFlags;
        }

        public String exe() {
            return exe;
        }

        public String defaultFlags() {
            return defaultFlags;
        }
    }

    public Become {
        user = user == null || user.isBlank() ? "root" : user;
        method = method == null ? Method.SUDO : method;
        exe = exe == null || exe.isBlank() ? method.exe() : exe;
        flags = flags == null ? method.defaultFlags() : flags;
        promptTimeout = promptTimeout == null ? DEFAULT_PROMPT_TIMEOUT : promptTimeout;
    }

    /** Becoming {@code user} with sudo and default flags, no password. */
    public static Become sudo(String user) {
        return new Become(true, user, Method.SUDO, null, null, null, null);
    }

    public Become withUser(String u) {
        return new Become(enabled, u, method, flags, password, exe, promptTimeout);
    }

    public Become withPassword(String pw) {
        return new Become(enabled, user, method, flags, pw, exe, promptTimeout);
    }

    public Become withMethod(Method m, String f) {
        return new Become(enabled, user, m, f, password, null, promptTimeout);
    }

    public Become withExe(String e) {
        return new Become(enabled, user, method, flags, password, e, promptTimeout);
    }

    public Become withEnabled(boolean on) {
        return new Become(on, user, method, flags, password, exe, promptTimeout);
    }

    public Become withPromptTimeout(Duration t) {
        return new Become(enabled, user, method, flags, password, exe, t);
    }

    public static Become fromVars(String host, Map<String, Object> vars) {
        Map<String, Object> v = vars == null ? Map.of() : vars;
        boolean on = v.get("ansible_become") != null && ConnectionSpec.bool(host, "ansible_become", v.get("ansible_become"));
        String user = str(v, "ansible_become_user");
        String methodText = str(v, "ansible_become_method");
        Method m = Method.SUDO;
        if (methodText != null) {
            switch (methodText.trim().toLowerCase(Locale.ROOT)) {
                case "sudo" -> m = Method.SUDO;
                case "su" -> m = Method.SU;
                default -> throw new UserError(null, "host " + host + ": ansible_become_method: Drover supports 'sudo' and 'su', found '"
                        + methodText + "'");
            }
        }
        String pw = str(v, "ansible_become_password", "ansible_become_pass",
                m == Method.SUDO ? "ansible_sudo_pass" : "ansible_su_pass");
        Duration timeout = null;
        Object t = v.get("ansible_timeout");
        if (t != null) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(t.toString().trim()));
            } catch (NumberFormatException e) {
                timeout = null; // ConnectionSpec.fromVars reports the bad value
            }
        }
        return new Become(on, user, m, str(v, "ansible_become_flags"), pw, str(v, "ansible_become_exe"), timeout);
    }

    /**
     * The command to run instead of {@code command}, and how to answer the password prompt.
     *
     * <p>sudo: {@code sudo <flags> [-p PROMPT] -u USER /bin/sh -c 'echo MARKER; COMMAND'}; with a password
     * {@code -n} is dropped and {@code -S} ensured, so sudo reads the password from stdin (one byte at a time,
     * leaving the rest of stdin to the command) and writes the unique prompt to stderr.
     * su: {@code su <flags> USER -c '/bin/sh -c ...'}; su reads the password from the terminal only.
     */
    public Command wrap(String command) {
        if (!enabled) return new Command(command, null, null, null, false);
        String nonce = nonce();
        String marker = "DROVER-BECOME-SUCCESS-" + nonce;
        String inner = "/bin/sh -c " + ShellQuote.quote("echo " + marker + "; " + command);
        byte[] pwLine = password == null ? null : (password + "\n").getBytes(StandardCharsets.UTF_8);
        if (method == Method.SUDO) {
            String prompt = "[drover become " + nonce + "] password:";
            List<String> f = new ArrayList<>(ShellWords.split(flags));
            if (password != null) {
                f.remove("-n");
                f.remove("--non-interactive");
                if (!f.contains("-S") && !f.contains("--stdin")) f.add("-S");
            }
            StringBuilder b = new StringBuilder(exe);
            for (String x : f) b.append(' ').append(ShellQuote.quote(x));
            if (password != null) b.append(" -p ").append(ShellQuote.quote(prompt));
            b.append(" -u ").append(ShellQuote.quote(user)).append(' ').append(inner);
            return new Command(b.toString(), marker, password == null ? null : prompt, pwLine, false);
        }
        StringBuilder b = new StringBuilder(exe);
        for (String x : ShellWords.split(flags)) b.append(' ').append(ShellQuote.quote(x));
        b.append(' ').append(ShellQuote.quote(user)).append(" -c ").append(ShellQuote.quote(inner));
        return new Command(b.toString(), marker, null, pwLine, password != null);
    }

    /**
     * A wrapped command. {@code marker} is echoed by the target user's shell once privileges are gained;
     * {@code prompt} is sudo's unique password prompt (on stderr), null for su (whose prompt comes on the
     * terminal); {@code stdinPrefix} is the password line to write when prompted; {@code needsTerminal}
     * is true for su with a password. All null/false when become is off.
     */
    public record Command(String command, String marker, String prompt, byte[] stdinPrefix, boolean needsTerminal) {
        @Override
        public String toString() {
            return "Become.Command[" + command + ", password " + (stdinPrefix == null ? "none" : "<hidden>") + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Command c && command.equals(c.command) && Objects.equals(marker, c.marker);
        }

        @Override
        public int hashCode() {
            return command.hashCode();
        }
    }

    /** "sudo to postgres" for messages. */
    public String describe() {
        return method.exe() + " to " + user;
    }

    @Override
    public String toString() {
        return "Become[" + (enabled ? "on" : "off") + ", user=" + user + ", method=" + method + ", flags=" + flags
                + ", exe=" + exe + ", password=" + (password == null ? "none" : "<hidden>") + "]";
    }

    private static String nonce() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String str(Map<String, Object> v, String... names) {
        for (String n : names) {
            Object o = v.get(n);
            if (o != null) return o.toString();
        }
        return null;
    }
}
