package dev.drover.host;

import dev.drover.agent.protocol.FrameIO;
import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.RemoteProcess;
import dev.drover.transport.ShellQuote;
import dev.drover.transport.TransportException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Puts the agent on a host and starts it, or says why the host must be run agentless.
 *
 * <p>The jar lives at {@code <installDir>/drover-agent-<sha256>.jar}: content-addressed, so a new engine
 * version never runs an old agent, and several engine versions can share a host. Its SHA-256 is checked on
 * the host before every start; a missing or damaged jar is uploaded again (to a temp name, checked, then
 * renamed). When the right jar is there, finding java, checking the jar and starting the JVM is one command.
 */
public final class AgentInstaller {
    /** Where the engine's build puts the agent jar (engine/pom.xml, maven-dependency-plugin). */
    public static final String EMBEDDED_JAR = "dev/drover/agent/drover-agent.jar";

    /** "this version of the Java Runtime only recognizes class file versions up to 52.0": the JVM's own limit. */
    private static final Pattern CLASS_VERSION_LIMIT = Pattern.compile("class file versions up to (\\d+)");
    /** A line of the launch script's report. */
    private static final Pattern FACT = Pattern.compile("(java|jar|user|launch|sum|hasher)=.*");

    /** A temp file of an upload older than this was cut short: an upload is cut off after 5 minutes. */
    static final int STALE_UPLOAD_MINUTES = 10;

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
     * @param javaVersion the agent JVM's {@code java.version}, from its handshake
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
        return connect(conn, become, enabled, new AgentStartAbort());
    }

    /**
     * As {@link #connect(Connection, UnaryOperator, boolean)}; {@code abort} gives the start up from another
     * thread (the run ended first), and then the outcome is agentless and no agent is left running.
     *
     * <p>The common case, the right jar already on the host, is one command: the script finds java, checks the
     * jar's SHA-256 and execs the JVM. Only when java is missing or the jar is missing or different does it print
     * what it found and exit; then the jar is uploaded and the JVM started by a command each. There is no
     * {@code java -version} (a whole JVM start per host and user): a JVM older than 11 fails to load the agent's
     * Java 11 classes, and its error says so.
     */
    public Outcome connect(Connection conn, UnaryOperator<String> become, boolean enabled, AgentStartAbort abort)
            throws IOException {
        if (!enabled) return new Agentless("drover_agent is false for this host");
        UnaryOperator<String> wrap = become == null ? UnaryOperator.identity() : become;
        String dir = dirExpression(options.installDir());
        String jarName = "drover-agent-" + sha256 + ".jar";

        Launch first = launch(conn, wrap.apply(launchScript(dir, jarName)), abort, Map.of());
        if (first.agent != null) return installed(first, false);
        if (first.failure != null) return first.failure;
        Map<String, String> facts = first.facts;
        String javaPath = facts.getOrDefault("java", "");
        if (javaPath.isEmpty()) {
            return new Agentless("no java on " + conn.host() + " (neither $JAVA_HOME/bin/java nor java on PATH); "
                    + "install Java 11 or newer to use the agent");
        }
        String jarPath = facts.get("jar");
        if (jarPath == null || jarPath.isEmpty()) {
            throw new IOException("probing " + conn.host() + " for the agent gave no answer: " + first.output);
        }
        if (!"yes".equals(facts.get("hasher"))) {
            return new Agentless("neither sha256sum nor shasum on " + conn.host() + "; cannot verify the agent jar");
        }
        String why = upload(conn, wrap, dir, jarName);
        if (why != null) return new Agentless(why);
        if (abort.aborted()) return aborted(conn);
        Launch second = launch(conn, wrap.apply("exec " + jvmCommandLine(ShellQuote.quote(javaPath), ShellQuote.quote(jarPath))),
                abort, facts);
        return second.agent != null ? installed(second, true) : second.failure;
    }

    /**
     * The agent's JVM command line, for both launches (the script's and the one after an upload); {@code java}
     * and {@code jar} are shell words already: quoted paths, or the script's "$J" and "$F".
     */
    private String jvmCommandLine(String java, String jar) {
        String jvm = ShellQuote.join(options.jvmOptions());
        return java + (jvm.isEmpty() ? "" : " " + jvm) + " -jar " + jar + " --heartbeat-timeout "
                + options.agentIdleTimeout().toSeconds();
    }

    private static Installed installed(Launch l, boolean uploaded) {
        return new Installed(new AgentHostOps(l.agent), uploaded, l.facts.getOrDefault("java", ""),
                l.agent.info().javaVersion(), l.facts.getOrDefault("jar", ""));
    }

    private static Agentless aborted(Connection conn) {
        return new Agentless("the agent's start on " + conn.host() + " was given up: the run ended first");
    }

    /**
     * What one launching command came to: a ready agent; or the facts the script printed instead of starting
     * the JVM (java or the right jar missing; agent and failure null); or why the host stays agentless.
     */
    private record Launch(AgentChannel agent, Map<String, String> facts, Agentless failure, String output) {}

    /**
     * Runs a command that ends in starting the agent's JVM and waits for the agent's greeting, bounded by the
     * handshake timeout. {@code known}: facts from an earlier command (java and jar path, user).
     */
    private Launch launch(Connection conn, String command, AgentStartAbort abort, Map<String, String> known)
            throws IOException {
        RemoteProcess proc = conn.start(command);
        if (!abort.track(proc)) return new Launch(null, known, aborted(conn), "");
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            timedOut.set(true);
            AgentStartAbort.end(proc);
        }, options.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        byte[] before;
        boolean greeted;
        try {
            before = FrameIO.skipToMagic(proc.stdout(), 64 * 1024);
            greeted = true;
        } catch (EOFException e) {
            // skipToMagic puts what came before the end of output in the message
            before = e.getMessage() == null ? new byte[0] : e.getMessage().getBytes(StandardCharsets.UTF_8);
            greeted = false;
        } catch (IOException e) {
            boolean goOn = abort.release(proc);
            proc.close();
            if (!goOn) return new Launch(null, known, aborted(conn), "");
            throw e;
        } finally {
            timer.cancel(false);
        }
        String stdout = new String(before, StandardCharsets.UTF_8);
        Map<String, String> facts = new LinkedHashMap<>(known);
        facts.putAll(parse(stdout));
        if (greeted) {
            AgentChannel channel;
            try {
                channel = new AgentChannel(proc, conn.host() + " as " + facts.getOrDefault("user", "?"), options,
                        scheduler, true);
            } catch (TransportException e) {
                return new Launch(null, facts, abort.release(proc) ? new Agentless("the agent did not start on "
                        + conn.host() + ": " + e.getMessage()) : aborted(conn), stdout);
            }
            if (!abort.release(proc)) {
                channel.close();
                return new Launch(null, facts, aborted(conn), stdout);
            }
            return new Launch(channel, facts, null, stdout);
        }
        String detail = AgentChannel.exitDetail(proc);
        boolean goOn = abort.release(proc);
        proc.close();
        if (!goOn) return new Launch(null, facts, aborted(conn), stdout);
        if (timedOut.get()) {
            return new Launch(null, facts, new Agentless("the agent did not start on " + conn.host() + " within "
                    + options.handshakeTimeout().toSeconds() + "s" + detail), stdout + detail);
        }
        // The launch script says launch=yes right before it execs the JVM; without that it only printed its facts.
        boolean jvmRan = !known.isEmpty() || "yes".equals(facts.get("launch"));
        if (!jvmRan) return new Launch(null, facts, null, stdout + detail);
        return new Launch(null, facts, jvmFailed(conn.host(), facts.getOrDefault("java", "java"), stdout, detail),
                stdout + detail);
    }

    /**
     * Why the JVM did not greet. A JVM older than 11 cannot load the agent's classes (class file version 55):
     * Java 8 names its own limit ("only recognizes class file versions up to 52.0"), older ones do not.
     */
    static Agentless jvmFailed(String host, String javaPath, String stdout, String detail) {
        if (detail.contains("UnsupportedClassVersionError")) {
            Matcher m = CLASS_VERSION_LIMIT.matcher(detail);
            String version = m.find() ? "version " + (Integer.parseInt(m.group(1)) - 44) : "older than Java 11";
            return new Agentless("java at " + javaPath + " on " + host + " is " + version
                    + "; the agent needs Java 11 or newer");
        }
        String printed = stdout.lines().filter(l -> !FACT.matcher(l).matches()).collect(Collectors.joining("\n")).trim();
        return new Agentless("the agent did not start on " + host + detail
                + (printed.isEmpty() ? "" : "; it printed: " + printed));
    }

    /** Uploads through the (become) command's stdin so the file belongs to the agent's user; null on success. */
    private String upload(Connection conn, UnaryOperator<String> wrap, String dir, String jarName) throws IOException {
        // An upload cut short (the run ended, the link dropped) can leave its temp file: clear old ones, not
        // the file of an upload that may still be running beside this one.
        String script = "umask 077; D=" + dir + "; mkdir -p \"$D\" || exit 1; "
                + "find \"$D\" -maxdepth 1 -type f -name '.drover-agent-*.tmp' -mmin +" + STALE_UPLOAD_MINUTES
                + " -exec rm -f {} + 2>/dev/null; "
                + "T=\"$D/." + jarName + ".$$.tmp\"; "
                + "cat > \"$T\" || { rm -f \"$T\"; exit 1; }; "
                + "S=$( (sha256sum \"$T\" 2>/dev/null || shasum -a 256 \"$T\") | cut -d' ' -f1); "
                + "if [ \"$S\" = " + sha256 + " ]; then mv -f \"$T\" \"$D/" + jarName + "\"; "
                + "else rm -f \"$T\"; echo \"uploaded agent jar has sha256 $S, expected " + sha256 + "\" >&2; exit 1; fi";
        ExecResult r = conn.exec(wrap.apply(script), ExecOptions.NONE.withStdin(jar).withTimeout(Duration.ofMinutes(5)));
        if (r.rc() == 0) return null;
        return "could not upload the agent to " + conn.host() + " (rc " + r.rc() + "): " + r.stderrText().trim();
    }

    /**
     * Finds java, checks the jar and execs the JVM. Prints what it found (key=value lines) first, and launch=yes
     * right before the exec; exits without starting anything when java or the right jar is missing.
     */
    private String launchScript(String dir, String jarName) {
        return "J=; if [ -n \"$JAVA_HOME\" ] && [ -x \"$JAVA_HOME/bin/java\" ]; then J=\"$JAVA_HOME/bin/java\"; "
                + "else J=$(command -v java 2>/dev/null); fi; "
                + "F=" + dir + "/" + jarName + "; "
                + "echo \"java=$J\"; echo \"jar=$F\"; echo \"user=$(id -un 2>/dev/null)\"; "
                + "S=; if [ -f \"$F\" ]; then S=$( (sha256sum \"$F\" 2>/dev/null || shasum -a 256 \"$F\" 2>/dev/null) | cut -d' ' -f1); fi; "
                + "if [ -n \"$J\" ] && [ \"$S\" = " + sha256 + " ]; then echo launch=yes; exec " + jvmCommandLine("\"$J\"", "\"$F\"") + "; fi; "
                + "echo \"sum=$S\"; "
                + "if command -v sha256sum >/dev/null 2>&1 || command -v shasum >/dev/null 2>&1; then echo hasher=yes; fi";
    }

    /** The install dir as a shell word: "~/x" becomes "$HOME"/x so the (become) user's home is used. */
    static String dirExpression(String installDir) {
        if (installDir.equals("~")) return "\"$HOME\"";
        if (installDir.startsWith("~/")) return "\"$HOME\"/" + ShellQuote.quote(installDir.substring(2));
        return ShellQuote.quote(installDir);
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
