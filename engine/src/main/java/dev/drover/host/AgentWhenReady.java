package dev.drover.host;

import dev.drover.transport.ExecResult;
import dev.drover.transport.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A host's operations while its agent starts: agentless until the agent has answered its handshake, the agent
 * from then on. The agent's JVM start (about 0.3 s on an idle host, several seconds when ten hosts share two
 * CPUs, as in the lab) no longer delays the host's first tasks; an operation already running keeps the
 * implementation it started with. When the agent cannot start (no Java, an old one, a failure), the host simply
 * stays agentless. Both implementations keep the same contract (every write atomic), so a task cannot tell which
 * one served it.
 *
 * <p>The start itself can wait until the host's work has shown it is worth it: with a budget, the agent starts
 * once the host's agentless round trips have taken that long in all (the ski-rental rule: rent until the rent paid
 * equals the price of buying). A short run (a check, a handful of tasks) then never starts a JVM on the host at
 * all, and a long one loses at most the budget to the slower agentless round trips.
 */
public final class AgentWhenReady implements HostOps {
    /** An agent's start under way: completes with its operations (null: stay agentless); {@code abort} gives it up. */
    public record Start(CompletableFuture<HostOps> agent, Runnable abort) {}

    private final HostOps shell;
    private final Supplier<Start> starter;
    private final long budgetNanos;
    private final AtomicLong spentNanos = new AtomicLong();
    /** Null until the start has begun. */
    private volatile Start start;
    private volatile boolean closed;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    /** {@code agent} completes with the agent's operations, or with null when the host must stay agentless. */
    public AgentWhenReady(HostOps shell, CompletableFuture<HostOps> agent) {
        this(shell, agent, () -> { });
    }

    /** @param abort gives the agent's start up; run when this is closed before the agent is ready */
    public AgentWhenReady(HostOps shell, CompletableFuture<HostOps> agent, Runnable abort) {
        this(shell, () -> new Start(agent, abort), Duration.ZERO);
    }

    /**
     * @param starter begins the agent's start, once, when the budget is spent
     * @param after   the agentless round-trip time after which the agent starts; zero starts it now
     */
    public AgentWhenReady(HostOps shell, Supplier<Start> starter, Duration after) {
        this.shell = shell;
        this.starter = starter;
        this.budgetNanos = after.toNanos();
        if (budgetNanos <= 0) begin();
    }

    /**
     * The host's agent, started on {@code starts} with {@code installer} once {@code after} of agentless round trips
     * have passed (zero: now); the host runs on {@code shell} until it is ready, and closing gives a start still
     * under way up instead of waiting for it.
     */
    public static AgentWhenReady start(HostOps shell, AgentInstaller installer, Connection conn,
                                       UnaryOperator<String> become, Executor starts, Duration after) {
        return new AgentWhenReady(shell, () -> {
            AgentStartAbort abort = new AgentStartAbort();
            CompletableFuture<HostOps> started = CompletableFuture.supplyAsync(() -> {
                try {
                    AgentInstaller.Outcome outcome = installer.connect(conn, become, true, abort);
                    return outcome instanceof AgentInstaller.Installed in ? in.ops() : null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, starts);
            return new Start(started, abort::abort);
        }, after);
    }

    /** Begins the agent's start, once; never after close. */
    private void begin() {
        synchronized (this) {
            if (start != null || closed) return;
            Start s = starter.get();
            start = s;
            // an agent that becomes ready after close (the abort came too late) is stopped at once
            s.agent().handle((a, failure) -> {
                if (closed) release(a);
                settled.complete(null);
                return null;
            });
        }
    }

    /** Whether the agent's start has begun (for tests and reports). */
    public boolean started() {
        return start != null;
    }

    /**
     * Completes once the agent's start is over: ready, failed, or (when this was closed first) given up, stopped
     * again or never begun. {@code drover_agent: wait} waits for it before the host's first task; closing does not.
     */
    public CompletableFuture<Void> settled() {
        return settled;
    }

    /** The agent once it is ready, the agentless operations until then. */
    HostOps current() {
        Start s = start;
        if (s != null && s.agent().isDone() && !s.agent().isCompletedExceptionally()) {
            HostOps a = s.agent().join();
            if (a != null) return a;
        }
        return shell;
    }

    /** One operation with whichever implementation is current; agentless time counts against the budget. */
    private <T> T call(Op<T> op) throws IOException {
        HostOps now = current();
        if (now != shell || start != null) return op.apply(now);
        long t0 = System.nanoTime();
        try {
            return op.apply(now);
        } finally {
            if (spentNanos.addAndGet(System.nanoTime() - t0) >= budgetNanos) begin();
        }
    }

    private interface Op<T> {
        T apply(HostOps ops) throws IOException;
    }

    @Override
    public ExecResult exec(ExecSpec spec) throws IOException {
        return call(h -> h.exec(spec));
    }

    @Override
    public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
        return call(h -> h.stat(path, checksum, follow));
    }

    @Override
    public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
        return call(h -> h.writeFile(path, content, attrs));
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        return call(h -> h.readFile(path));
    }

    @Override
    public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
        return call(h -> h.mkdirs(path, attrs));
    }

    @Override
    public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
        return call(h -> h.setAttrs(path, attrs));
    }

    @Override
    public void symlink(String target, String link) throws IOException {
        call(h -> {
            h.symlink(target, link);
            return null;
        });
    }

    @Override
    public boolean remove(String path, boolean recursive) throws IOException {
        return call(h -> h.remove(path, recursive));
    }

    @Override
    public Map<String, Object> facts() throws IOException {
        return call(HostOps::facts);
    }

    @Override
    public String mode() {
        return current().mode();
    }

    @Override
    public void close() {
        Start s;
        synchronized (this) {
            closed = true;
            s = start;
        }
        if (s == null) {
            settled.complete(null); // never begun: nothing to stop
            return;
        }
        if (!s.agent().isDone()) {
            // No waiting for a JVM still booting on a 2-CPU machine shared by ten hosts: end it. Should it answer
            // all the same, begin's handler stops it.
            s.abort().run();
            return;
        }
        release(s.agent().isCompletedExceptionally() ? null : s.agent().join());
    }

    /**
     * Stops the agent (when there is one), once. The agentless side is not closed: closing it closes the
     * connection, which the run shares between the host's become users and closes itself at the end; closing it
     * here cut the session under another user's agent before that agent was stopped.
     */
    private void release(HostOps a) {
        if (!released.compareAndSet(false, true)) return;
        if (a != null) closeQuietly(a);
    }

    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private static void closeQuietly(HostOps ops) {
        try {
            ops.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the agent also exits when its channel closes, and the run closes every connection
        }
    }
}
