package dev.drover.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.channel.PtyChannelConfiguration;
import org.apache.sshd.common.channel.PtyMode;

/**
 * {@link Connection} over SSH: one session per host, kept for the run; every exec, {@link #start} and file
 * transfer is its own channel on it, so they may run in parallel.
 *
 * <p><b>How a remote command is stopped.</b> Closing an SSH channel does not kill a command that runs
 * without a terminal: sshd only closes its pipes. OpenSSH's sshd starts every session's command in a new
 * session and process group ({@code setsid}), so the login shell's {@code $$} is the process-group id of the
 * command and all its children. When a command must be killable (a timeout, or {@link #start}), Drover
 * prefixes it with {@code echo __drover_pgid=$$;}, removes that line from stdout, and on timeout or close runs
 * {@code kill -TERM -<pgid>} (then {@code -KILL} after 2 s) on a second channel. That works with any POSIX
 * shell, needs no {@code timeout(1)} or {@code setsid(1)} on the host, and also takes down background
 * children. Limit: processes that start their own session, or run as another user (become), survive
 * unless the group leader passes the signal on (sudo and su do relay TERM to their command).
 */
public final class SshConnection implements TerminalConnection {
    private static final Pattern PGID_LINE = Pattern.compile("__drover_pgid=(\\d+)\n");
    private static final String PGID_PREFIX = "echo __drover_pgid=$$; ";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ConnectionSpec spec;
    private final SshConnector connector;
    private final Object lock = new Object();
    private SshConnector.Established current;
    private boolean closed;

    SshConnection(ConnectionSpec spec, SshConnector connector) {
        this.spec = spec;
        this.connector = connector;
    }

    @Override
    public String host() {
        return spec.host();
    }

    public ConnectionSpec spec() {
        return spec;
    }

    /** Connects now (instead of on first use) so an unreachable host is reported at once. */
    void connect() throws TransportException {
        session();
    }

    /**
     * The live session. When the previous one dropped (network, sshd restart), one new connection attempt is
     * made here; if it fails, the host is unreachable.
     */
    private ClientSession session() throws TransportException {
        synchronized (lock) {
            if (closed) throw new TransportException("connection to " + spec.describe() + " is already closed");
            if (current != null && current.isOpen()) return current.session();
            if (current != null) current.close();
            current = null;
            current = connector.connect(spec);
            return current.session();
        }
    }

    @Override
    public ExecResult exec(String command, ExecOptions options) throws IOException {
        ExecOptions opts = options == null ? ExecOptions.NONE : options;
        boolean killable = opts.timeout() != null;
        String line = (killable ? PGID_PREFIX : "") + envPrefix(opts.env()) + command;
        ClientSession session = session();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec ch = null;
        try {
            ch = session.createExecChannel(line);
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(spec.connectTimeout());
            writeStdin(ch, opts.stdin());
            long waitMs = killable ? Math.max(1, opts.timeout().toMillis()) : 0L;
            Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), waitMs);
            if (ev.contains(ClientChannelEvent.TIMEOUT)) {
                String pgid = findPgid(out.toByteArray());
                if (pgid != null) kill(session, pgid);
                ch.close(true);
                throw new CommandTimeoutException("command on " + spec.host() + " timed out after " + seconds(opts.timeout())
                        + " and was killed" + (pgid == null ? " (its process id was unknown; it may still run)" : ""));
            }
            byte[] stdout = out.toByteArray();
            if (killable) stdout = stripPgid(stdout);
            Integer rc = exitCode(ch);
            if (rc == null) {
                throw new TransportException("connection to " + spec.describe() + " was lost while running a command");
            }
            return new ExecResult(rc, stdout, err.toByteArray());
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            if (!session.isOpen()) {
                throw new TransportException("connection to " + spec.describe() + " was lost: " + e.getMessage(), e);
            }
            throw e;
        } finally {
            if (ch != null) ch.close(false);
        }
    }

    @Override
    public RemoteProcess start(String command) throws IOException {
        return startChannel(command, null);
    }

    /**
     * On a pty: echo off so a password typed for su is not sent back, output post-processing off so
     * {@code \n} stays {@code \n}. Input stays canonical (line-based) because su and PAM read the password
     * as a line.
     */
    @Override
    public RemoteProcess startWithTerminal(String command) throws IOException {
        PtyChannelConfiguration pty = new PtyChannelConfiguration();
        pty.setPtyModes(Map.of(PtyMode.ECHO, 0, PtyMode.OPOST, 0, PtyMode.ONLCR, 0));
        return startChannel(command, pty);
    }

    private RemoteProcess startChannel(String command, PtyChannelConfiguration pty) throws IOException {
        ClientSession session = session();
        ChannelExec ch = pty == null ? session.createExecChannel(PGID_PREFIX + command)
                : session.createExecChannel(PGID_PREFIX + command, pty, Map.of());
        if (pty != null) ch.setUsePty(true);
        try {
            ch.open().verify(spec.connectTimeout());
            InputStream rawOut = ch.getInvertedOut();
            // The pgid line comes first, before the command runs: if it does not come within the connect
            // timeout the shell on the host is stuck, and waiting longer would hang the caller.
            ChannelPipedInputStream piped = rawOut instanceof ChannelPipedInputStream p ? p : null;
            if (piped != null) piped.setTimeout(spec.connectTimeout().toMillis());
            // Read up to our pgid line; anything printed before it (a noisy login script) stays in stdout.
            ByteArrayOutputStream before = new ByteArrayOutputStream();
            String pgid = null;
            ByteArrayOutputStream lineBuf = new ByteArrayOutputStream();
            while (pgid == null) {
                int b = rawOut.read();
                if (b < 0) break;
                lineBuf.write(b);
                if (b == '\n') {
                    String l = lineBuf.toString(StandardCharsets.UTF_8);
                    Matcher m = PGID_LINE.matcher(l);
                    if (m.matches()) pgid = m.group(1);
                    else before.write(lineBuf.toByteArray());
                    lineBuf.reset();
                }
            }
            if (piped != null) piped.setTimeout(0);
            before.write(lineBuf.toByteArray());
            InputStream stdout = new SequenceInputStream(new ByteArrayInputStream(before.toByteArray()), rawOut);
            return new SshProcess(session, ch, pgid, stdout);
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            ch.close(true);
            throw new TransportException("command on " + spec.host() + " did not start within " + seconds(spec.connectTimeout())
                    + " (ansible_timeout): the remote shell gave no sign of life", e);
        } catch (IOException | RuntimeException e) {
            ch.close(true);
            throw e;
        }
    }

    /** A channel from {@link #start}; closing it kills the remote process group, then closes the channel. */
    private final class SshProcess implements RemoteProcess {
        private final ClientSession session;
        private final ChannelExec ch;
        private final String pgid;
        private final InputStream stdout;

        SshProcess(ClientSession session, ChannelExec ch, String pgid, InputStream stdout) {
            this.session = session;
            this.ch = ch;
            this.pgid = pgid;
            this.stdout = stdout;
        }

        @Override
        public OutputStream stdin() {
            return ch.getInvertedIn();
        }

        @Override
        public InputStream stdout() {
            return stdout;
        }

        @Override
        public InputStream stderr() {
            return ch.getInvertedErr();
        }

        @Override
        public Integer waitFor(Duration wait) {
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.EXIT_SIGNAL),
                    Math.max(1, wait.toMillis()));
            return exitCode(ch);
        }

        @Override
        public boolean isAlive() {
            return !ch.isClosed() && exitCode(ch) == null;
        }

        @Override
        public void close() {
            try {
                if (pgid != null && session.isOpen()) kill(session, pgid);
            } catch (IOException ignored) {
                // the session is gone; sshd closes the pipes
            } finally {
                ch.close(false);
                ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 5000);
            }
        }
    }

    /** TERM the process group, wait up to 2 s, then KILL what is left. Runs on its own channel. */
    private void kill(ClientSession session, String pgid) throws IOException {
        String script = "kill -TERM -" + pgid + " 2>/dev/null || exit 0; i=0; while [ $i -lt 20 ]; do "
                + "kill -0 -" + pgid + " 2>/dev/null || exit 0; sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done; "
                + "kill -KILL -" + pgid + " 2>/dev/null; exit 0";
        ChannelExec k = session.createExecChannel(script);
        try {
            k.setOut(OutputStream.nullOutputStream());
            k.setErr(OutputStream.nullOutputStream());
            k.open().verify(spec.connectTimeout());
            k.getInvertedIn().close();
            k.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 10_000);
        } finally {
            k.close(false);
        }
    }

    /**
     * Input up to 1 MiB fits in the peer's initial window (2 MiB for OpenSSH and MINA) and is written at
     * once; more is written by a helper thread, so a command that does not read its input cannot block
     * the caller past its timeout.
     */
    private void writeStdin(ChannelExec ch, byte[] stdin) {
        if (stdin == null || stdin.length <= (1 << 20)) {
            sendStdin(ch, stdin);
            return;
        }
        Thread t = new Thread(() -> sendStdin(ch, stdin), "drover-stdin-" + spec.host());
        t.setDaemon(true);
        t.start();
    }

    private static void sendStdin(ChannelExec ch, byte[] stdin) {
        OutputStream in = ch.getInvertedIn();
        try {
            if (stdin != null && stdin.length > 0) {
                in.write(stdin);
                in.flush();
            }
        } catch (IOException e) {
            // the command exited without reading all its input; its result still counts
        } finally {
            try {
                in.close(); // sends EOF: commands that read stdin must not wait forever
            } catch (IOException ignored) {
                // channel already closed by the command exiting
            }
        }
    }

    private static Integer exitCode(ChannelExec ch) {
        Integer rc = ch.getExitStatus();
        if (rc != null) return rc;
        String sig = ch.getExitSignal();
        if (sig != null) return 128 + signalNumber(sig); // the shell's convention for "killed by signal"
        return null;
    }

    private static int signalNumber(String name) {
        switch (name) {
            case "HUP": return 1;
            case "INT": return 2;
            case "QUIT": return 3;
            case "ABRT": return 6;
            case "KILL": return 9;
            case "SEGV": return 11;
            case "PIPE": return 13;
            case "ALRM": return 14;
            case "TERM": return 15;
            default: return 0;
        }
    }

    private static String findPgid(byte[] out) {
        Matcher m = PGID_LINE.matcher(new String(out, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : null;
    }

    /** Removes the first pgid line only; ISO-8859-1 maps bytes 1:1 so binary output survives. */
    private static byte[] stripPgid(byte[] out) {
        String s = new String(out, StandardCharsets.ISO_8859_1);
        Matcher m = PGID_LINE.matcher(s);
        if (!m.find()) return out;
        return (s.substring(0, m.start()) + s.substring(m.end())).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code export K='v'; } for each variable: sshd refuses most SetEnv requests (AcceptEnv), the shell never does. */
    static String envPrefix(Map<String, String> env) {
        if (env == null || env.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("not a valid environment variable name: '" + e.getKey() + "'");
            }
            b.append("export ").append(e.getKey()).append('=').append(ShellQuote.quote(e.getValue())).append("; ");
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** True while the session is up; does not reconnect. */
    public boolean isConnected() {
        synchronized (lock) {
            return current != null && current.isOpen();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (current != null) current.close();
            current = null;
        }
    }

    @Override
    public String toString() {
        return "SshConnection[" + spec.describe() + "]";
    }
}
