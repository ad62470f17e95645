package dev.drover.host;

import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.RemoteProcess;
import dev.drover.transport.ShellQuote;
import dev.drover.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the agent on a host and starts it, or says why the host must be run agentless.
 *
 * <p>The jar lives at {@code <installDir>/drover-agent-<sha256>.jar}: content-addressed, so a new engine
 * version never runs an old agent, and several engine versions can share a host. Its SHA-256 is checked on
 * the host before every start; a missing or damaged jar is uploaded again (to a temp name, checked, then
 * renamed). One probe command does the Java check and the jar check together, to keep round trips down.
 */
public final class AgentInstaller {
    /** Where the engine's build puts the agent jar (engine/pom.xml, maven-dependency-plugin). */
    public static final String EMBEDDED_JAR = "dev/drover/agent/drover-agent.jar";

    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?[^\"]*\"");

    private final byte[] jar;
    private final String sha256;
    private final AgentOptions options;
    private final ScheduledExecutorService scheduler;

    /**
     * @param agentJar  the agent jar's bytes
     * @param scheduler runs the heartbeats of all agents (one thread is plenty)
     */
    public AgentInstaller(byte[] agentJar, AgentOptions options, ScheduledExecutorService scheduler) {
        this.jar = agentJar.clone();
        this.sha256 = sha256(jar);
        this.options = options;
        this.scheduler = scheduler;
    }

    /** An installer for the agent jar built into this engine. */
    public static AgentInstaller withEmbeddedJar(AgentOptions options, ScheduledExecutorService scheduler) throws IOException {
        return new AgentInstaller(embeddedJar(), options, scheduler);
    }

    public static byte[] embeddedJar() throws IOException {
        try (InputStream in = AgentInstaller.class.getClassLoader().getResourceAsStream(EMBEDDED_JAR)) {
            if (in == null) {
                throw new IOException("the agent jar is missing from this build of drover (" + EMBEDDED_JAR
                        + "); rebuild with 'mvn verify', or run with drover_agent: false");
            }
            return in.readAllBytes();
        }
    }

    public String jarSha256() {
        return sha256;
    }

    /** The outcome: an agent to use, or the reason to fall back to the agentless ShellHostOps. */
    public sealed interface Outcome permits Installed, Agentless {}

    /**
     * @param uploaded whether the jar had to be (re)uploaded
     * @param javaVersion the host's {@code java -version} first line
     */
    public record Installed(AgentHostOps ops, boolean uploaded, String javaPath, String javaVersion, String jarPath)
            implements Outcome {}

    public record Agentless(String reason) implements Outcome {}

    /**
     * Readies the agent for one user on one host.
     *
     * @param become wraps each command to run as another user (identity when null); one agent runs per user
     * @param enabled false for hosts with {@code drover_agent: false}
     * @throws TransportException when the host cannot be reached at all
     */
    public Outcome connect(Connection conn, UnaryOperator<String> become, boolean enabled) throws IOException {
        if (!enabled) return new Agentless("drover_agent is false for this host");
        UnaryOperator<String> wrap = become == null ? UnaryOperator.identity() : become;
        String dir = dirExpression(options.installDir());
        String jarName = "drover-agent-" + sha256 + ".jar";

        ExecResult probe = conn.exec(wrap.apply(probeScript(dir, jarName)), ExecOptions.NONE.withTimeout(options.handshakeTimeout()));
        Map<String, String> facts = parse(probe.stdoutText());
        String javaPath = facts.getOrDefault("java", "");
        String versionLine = facts.getOrDefault("javaversion", "");
        if (javaPath.isEmpty()) {
            return new Agentless("no java on " + conn.host() + " (neither $JAVA_HOME/bin/java nor java on PATH); "
                    + "install Java 11 or newer to use the agent");
        }
        int major = javaMajor(versionLine);
        if (major < 11) {
            return new Agentless("java at " + javaPath + " on " + conn.host() + " is "
                    + (major < 0 ? "unusable (" + versionLine.trim() + ")" : "version " + major) + "; the agent needs Java 11 or newer");
        }
        String jarPath = facts.get("jar");
        if (jarPath == null || jarPath.isEmpty()) {
            throw new IOException("probing " + conn.host() + " for the agent gave no answer: " + probe.stdoutText() + probe.stderrText());
        }
        boolean upload = !sha256.equals(facts.get("sum"));
        if (upload) {
            if (!"yes".equals(facts.get("hasher"))) {
                return new Agentless("neither sha256sum nor shasum on " + conn.host() + "; cannot verify the agent jar");
            }
            String why = upload(conn, wrap, dir, jarName);
            if (why != null) return new Agentless(why);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaPath);
        cmd.addAll(options.jvmOptions());
        cmd.add("-jar");
        cmd.add(jarPath);
        cmd.add("--heartbeat-timeout");
        cmd.add(String.valueOf(options.agentIdleTimeout().toSeconds()));
        RemoteProcess proc = conn.start(wrap.apply("exec " + ShellQuote.join(cmd)));
        String user = facts.getOrDefault("user", "?");
        AgentChannel channel;
        try {
            channel = new AgentChannel(proc, conn.host() + " as " + user, options, scheduler);
        } catch (TransportException e) {
            return new Agentless("the agent did not start on " + conn.host() + ": " + e.getMessage());
        }
        return new Installed(new AgentHostOps(channel), upload, javaPath, versionLine.trim(), jarPath);
    }

    /** Uploads through the (become) command's stdin so the file belongs to the agent's user; null on success. */
    private String upload(Connection conn, UnaryOperator<String> wrap, String dir, String jarName) throws IOException {
        String script = "umask 077; D=" + dir + "; mkdir -p \"$D\" || exit 1; T=\"$D/." + jarName + ".$$.tmp\"; "
                + "cat > \"$T\" || { rm -f \"$T\"; exit 1; }; "
                + "S=$( (sha256sum \"$T\" 2>/dev/null || shasum -a 256 \"$T\") | cut -d' ' -f1); "
                + "if [ \"$S\" = " + sha256 + " ]; then mv -f \"$T\" \"$D/" + jarName + "\"; "
                + "else rm -f \"$T\"; echo \"uploaded agent jar has sha256 $S, expected " + sha256 + "\" >&2; exit 1; fi";
        ExecResult r = conn.exec(wrap.apply(script), ExecOptions.NONE.withStdin(jar).withTimeout(Duration.ofMinutes(5)));
        if (r.rc() == 0) return null;
        return "could not upload the agent to " + conn.host() + " (rc " + r.rc() + "): " + r.stderrText().trim();
    }

    private static String probeScript(String dir, String jarName) {
        return "J=; if [ -n \"$JAVA_HOME\" ] && [ -x \"$JAVA_HOME/bin/java\" ]; then J=\"$JAVA_HOME/bin/java\"; "
                + "else J=$(command -v java 2>/dev/null); fi; "
                + "echo \"java=$J\"; "
                + "if [ -n \"$J\" ]; then echo \"javaversion=$(\"$J\" -version 2>&1 | grep -m1 version)\"; fi; "
                + "echo \"user=$(id -un 2>/dev/null)\"; "
                + "F=" + dir + "/" + jarName + "; echo \"jar=$F\"; "
                + "if command -v sha256sum >/dev/null 2>&1 || command -v shasum >/dev/null 2>&1; then echo hasher=yes; fi; "
                + "if [ -f \"$F\" ]; then echo \"sum=$( (sha256sum \"$F\" 2>/dev/null || shasum -a 256 \"$F\" 2>/dev/null) | cut -d' ' -f1)\"; fi";
    }

    /** The install dir as a shell word: "~/x" becomes "$HOME"/x so the (become) user's home is used. */
    static String dirExpression(String installDir) {
        if (installDir.equals("~")) return "\"$HOME\"";
        if (installDir.startsWith("~/")) return "\"$HOME\"/" + ShellQuote.quote(installDir.substring(2));
        return ShellQuote.quote(installDir);
    }

    /** "1.8.0_392" is 8, "11.0.2" is 11, "17" is 17; -1 when unreadable. */
    static int javaMajor(String versionLine) {
        Matcher m = JAVA_VERSION.matcher(versionLine);
        if (!m.find()) return -1;
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return m;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
