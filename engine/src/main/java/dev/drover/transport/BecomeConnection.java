package dev.drover.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs everything on an inner {@link Connection} (SSH or local) as another user, per {@link Become}.
 *
 * <p>Each command is started with {@link Connection#start} and goes through a handshake before the
 * caller's stdin is sent: wait for either the success marker on stdout (privileges gained, no password
 * asked) or the password prompt (sudo: its unique prompt on stderr; su: a "Password:" prompt on the
 * terminal). The password is written once; a second prompt means it was wrong, and the command is killed
 * and a {@link BecomeException} thrown: no hang, no retry with the caller's data. No answer within the
 * prompt timeout is also a {@link BecomeException}. The password is never logged or put in a message.
 *
 * <p>Files need nothing of their own: the agentless file primitives are commands with the content on stdin or
 * stdout, so they run as the become user like any other command.
 */
public final class BecomeConnection implements Connection {
    private static final Pattern SU_PROMPT = Pattern.compile("(?i)(password|passwort|mot de passe|contraseña|senha)[^:\\n]*[:：]\\s*$");

    private final Connection inner;
    private final Become become;

    public BecomeConnection(Connection inner, Become become) {
        this.inner = inner;
        this.become = become;
    }

    @Override
    public String host() {
        return inner.host();
    }

    public Become become() {
        return become;
    }

    @Override
    public ExecResult exec(String command, ExecOptions options) throws IOException {
        ExecOptions opts = options == null ? ExecOptions.NONE : options;
        if (!become.enabled()) return inner.exec(command, opts);
        long deadline = opts.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + opts.timeout().toNanos();
        Started s = startBecome(SshConnection.envPrefix(opts.env()) + command);
        try (RemoteProcess p = s.process) {
            CompletableFuture<byte[]> out = drain(p.stdout());
            CompletableFuture<byte[]> err = drain(s.stderr);
            try (OutputStream in = p.stdin()) {
                if (opts.stdin() != null) in.write(opts.stdin());
                if (s.terminal) in.write(endOfInput(opts.stdin()));
            } catch (IOException ignored) {
                // the command exited without reading all its input
            }
            Integer rc;
            try {
                if (deadline == Long.MAX_VALUE) {
                    rc = p.waitFor(Duration.ofDays(3650));
                    out.get();
                    err.get();
                } else {
                    long left = Math.max(1, deadline - System.nanoTime());
                    rc = p.waitFor(Duration.ofNanos(left));
                    if (rc == null) throw timeout(opts.timeout());
                    left = Math.max(1, deadline - System.nanoTime());
                    out.get(left, TimeUnit.NANOSECONDS);
                    err.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException e) {
                throw timeout(opts.timeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while running a command on " + host());
            } catch (ExecutionException e) {
                throw new IOException("reading the output of a command on " + host() + " failed: " + e.getCause().getMessage(), e.getCause());
            }
            if (rc == null) throw new TransportException("connection to " + host() + " was lost while running a command");
            return new ExecResult(rc, out.join(), err.join());
        }
    }

    private CommandTimeoutException timeout(Duration t) {
        return new CommandTimeoutException("command on " + host() + " (as " + become.user() + ") timed out after "
                + (t.toMillis() % 1000 == 0 ? t.toSeconds() + "s" : t.toMillis() + "ms") + " and was killed");
    }

    /** On a terminal, EOF is the EOF character at the start of a line (a lone one ends a partial line first). */
    private static byte[] endOfInput(byte[] stdin) {
        boolean atLineStart = stdin == null || stdin.length == 0 || stdin[stdin.length - 1] == '\n';
        return atLineStart ? new byte[] {4} : new byte[] {4, 4};
    }

    @Override
    public RemoteProcess start(String command) throws IOException {
        if (!become.enabled()) return inner.start(command);
        Started s = startBecome(command);
        RemoteProcess p = s.process;
        return new RemoteProcess() {
            @Override
            public OutputStream stdin() {
                return p.stdin();
            }

            @Override
            public InputStream stdout() {
                return p.stdout();
            }

            @Override
            public InputStream stderr() {
                return s.stderr;
            }

            @Override
            public Integer waitFor(Duration wait) throws InterruptedException {
                return p.waitFor(wait);
            }

            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "BecomeConnection[" + inner + ", " + become + "]";
    }

    /** A process past the handshake: stdout positioned after the marker, stderr with sudo's prompts removed. */
    private record Started(RemoteProcess process, InputStream stderr, boolean terminal) {}

    private enum Event { PROMPT, SUCCESS, EOF }

    private Started startBecome(String command) throws IOException {
        Become.Command bc = become.wrap(command);
        RemoteProcess p;
        if (bc.needsTerminal()) {
            if (!(inner instanceof TerminalConnection t)) {
                throw new BecomeException("become on " + host() + ": su with a password needs a terminal, which this connection ("
                        + inner.getClass().getSimpleName() + ") cannot provide; use become_method: sudo");
            }
            p = t.startWithTerminal(bc.command());
        } else {
            p = inner.start(bc.command());
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        PipedInputStream stderr = new PipedInputStream(1 << 16);
        PipedOutputStream stderrSink = new PipedOutputStream(stderr);
        ByteArrayOutputStream preamble = new ByteArrayOutputStream(); // what came before the marker, for errors
        Thread errPump = daemon("become-stderr-" + host(), () -> pumpStderr(p.stderr(), stderrSink, bc.prompt(), events));
        Thread outWatch = daemon("become-stdout-" + host(), () -> watchStdout(p.stdout(), bc, preamble, events));
        int prompts = 0;
        long deadline = System.nanoTime() + become.promptTimeout().toNanos();
        try {
            while (true) {
                Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new BecomeException("become (" + become.describe() + ") on " + host() + ": no answer within "
                            + become.promptTimeout().toSeconds() + "s" + (prompts > 0 ? " after the password was sent" : "")
                            + (bc.prompt() == null && !bc.needsTerminal() && become.method() == Become.Method.SU
                                    ? "; su may be waiting for a password: set ansible_become_password" : ""));
                }
                if (e == Event.SUCCESS) {
                    outWatch.join(1000);
                    return new Started(p, stderr, bc.needsTerminal());
                }
                if (e == Event.PROMPT) {
                    if (bc.stdinPrefix() == null) {
                        throw new BecomeException("become (" + become.describe() + ") on " + host()
                                + " asks for a password, but ansible_become_password is not set");
                    }
                    if (prompts > 0) throw wrongPassword();
                    prompts++;
                    OutputStream in = p.stdin();
                    in.write(bc.stdinPrefix());
                    in.flush();
                    continue;
                }
                // EOF: the wrapper ended before our shell ran
                if (prompts > 0) throw wrongPassword();
                errPump.join(2000);
                String why = (new String(stderr.readNBytes(stderr.available()), StandardCharsets.UTF_8) + "\n"
                        + preamble.toString(StandardCharsets.UTF_8)).trim();
                boolean needsPassword = why.contains("password is required") && bc.stdinPrefix() == null;
                throw new BecomeException("become (" + become.describe() + ") on " + host() + " failed"
                        + (why.isEmpty() ? "" : ": " + firstLines(why))
                        + (needsPassword ? "; set ansible_become_password (or allow NOPASSWD in sudoers)" : ""));
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            p.close();
            throw new TransportException("interrupted while becoming " + become.user() + " on " + host());
        } catch (IOException | RuntimeException ex) {
            p.close();
            throw ex;
        }
    }

    private BecomeException wrongPassword() {
        return new BecomeException("become (" + become.describe() + ") on " + host()
                + ": incorrect password (ansible_become_password), or the user may not " + become.method().exe()
                + " to " + become.user());
    }

    private static String firstLines(String s) {
        String[] lines = s.split("\n");
        return String.join(" / ", Arrays.copyOf(lines, Math.min(3, lines.length)));
    }

    /** Reads stdout a byte at a time until the marker line, so nothing after it is consumed. */
    private static void watchStdout(InputStream out, Become.Command bc, ByteArrayOutputStream preamble, BlockingQueue<Event> events) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = out.read()) >= 0) {
                if (b == '\n') {
                    String l = line.toString(StandardCharsets.UTF_8);
                    if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                    // endsWith: after a prompt the rest of that line (a space, or a "\r" from the terminal)
                    // precedes the marker; the marker is random, so no command output can fake it
                    if (l.endsWith(bc.marker())) {
                        events.add(Event.SUCCESS);
                        return;
                    }
                    preamble.write(line.toByteArray());
                    preamble.write('\n');
                    line.reset();
                    continue;
                }
                line.write(b);
                if (bc.needsTerminal() && b != '\r' && SU_PROMPT.matcher(line.toString(StandardCharsets.UTF_8)).find()) {
                    events.add(Event.PROMPT);
                    preamble.write(line.toByteArray());
                    line.reset();
                }
            }
        } catch (IOException ignored) {
            // stream closed: same as EOF
        }
        preamble.write(line.toByteArray(), 0, line.size());
        events.add(Event.EOF);
    }

    /** Copies stderr to the caller's stream, cutting out sudo's unique prompt and signalling each one. */
    private static void pumpStderr(InputStream err, PipedOutputStream sink, String prompt, BlockingQueue<Event> events) {
        byte[] p = prompt == null ? null : prompt.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        try (sink) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = err.read(buf)) >= 0) {
                if (p == null) {
                    sink.write(buf, 0, n);
                    sink.flush();
                    continue;
                }
                pending.write(buf, 0, n);
                byte[] data = pending.toByteArray();
                pending.reset();
                int from = 0;
                int i;
                while ((i = indexOf(data, p, from)) >= 0) {
                    sink.write(data, from, i - from);
                    events.add(Event.PROMPT);
                    from = i + p.length;
                }
                // keep back a tail that could be the start of a prompt split across reads
                int keep = partialSuffix(data, from, p);
                sink.write(data, from, data.length - from - keep);
                sink.flush();
                pending.write(data, data.length - keep, keep);
            }
            sink.write(pending.toByteArray());
        } catch (IOException ignored) {
            // the reader went away or the channel closed
        }
    }

    private static int indexOf(byte[] data, byte[] p, int from) {
        outer:
        for (int i = from; i <= data.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) if (data[i + j] != p[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static int partialSuffix(byte[] data, int from, byte[] p) {
        for (int k = Math.min(p.length - 1, data.length - from); k > 0; k--) {
            boolean match = true;
            for (int j = 0; j < k; j++) {
                if (data[data.length - k + j] != p[j]) {
                    match = false;
                    break;
                }
            }
            if (match) return k;
        }
        return 0;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        daemon("become-drain", () -> {
            try {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
