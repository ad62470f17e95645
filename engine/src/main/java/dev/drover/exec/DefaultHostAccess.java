package dev.drover.exec;

import dev.drover.error.UserError;
import dev.drover.host.AgentInstaller;
import dev.drover.host.AgentOptions;
import dev.drover.host.AgentWhenReady;
import dev.drover.host.HostOps;
import dev.drover.host.ShellHostOps;
import dev.drover.modules.ArgSpec;
import dev.drover.playbook.PlayOptions;
import dev.drover.transport.Become;
import dev.drover.transport.BecomeConnection;
import dev.drover.transport.Connection;
import dev.drover.transport.ConnectionSpec;
import dev.drover.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections for a run: one SSH session (or local connection) per host, kept for the run; on top of it one set of
 * primitives per become user — the host agent where the host has Java 11+, else agentless shell commands. The
 * agent starts in the background; the host's tasks run agentless until it is ready ({@link AgentWhenReady}).
 */
final class DefaultHostAccess implements HostAccess {
    private final PlayOptions options;
    private final AgentOptions agentOptions;
    private final Transports transports = new Transports();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "drover-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, HostOps> ops = new ConcurrentHashMap<>();
    /** Bounds the agents' stops at the end of a run; one that hangs is cut off by closing its connection. */
    private static final long AGENT_STOP_SECONDS = 10;
    private volatile AgentInstaller installer;
    /**
     * Starts agents in the background: bounded by the forks, so 1000 hosts do not get 1000 threads waiting for
     * handshakes at once; hosts whose agent waits for a thread here keep running agentless meanwhile.
     */
    private final ExecutorService agentStarts;

    DefaultHostAccess(PlayOptions options) {
        this(options, AgentOptions.DEFAULTS);
    }

    /** @param agentOptions how agents are installed and started (tests: a temp install dir, other JVM options) */
    DefaultHostAccess(PlayOptions options, AgentOptions agentOptions) {
        this.options = options;
        this.agentOptions = agentOptions;
        AtomicInteger n = new AtomicInteger();
        this.agentStarts = Executors.newFixedThreadPool(Math.max(1, Math.min(options.forks(), 32)), r -> {
            Thread t = new Thread(r, "drover-agent-start-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public HostOps open(String host, Map<String, Object> vars, Become become) throws IOException {
        String key = host + "\u0000" + (become.enabled() ? become.method() + ":" + become.user() : "");
        HostOps existing = ops.get(key);
        if (existing != null) return existing;
        synchronized (lockFor(key)) {
            existing = ops.get(key);
            if (existing != null) return existing;
            Connection base = connection(host, vars);
            Connection conn = become.enabled() ? new BecomeConnection(base, become) : base;
            HostOps opened = new ShellHostOps(conn);
            AgentMode mode = agentMode(host, vars);
            if (mode != AgentMode.OFF) {
                // the agent starts beside the host's tasks, which run agentless until it is ready; by default only
                // once they have shown the host's work is long enough to pay for a JVM there
                Duration after = mode == AgentMode.AUTO ? AUTO_START_AFTER : Duration.ZERO;
                AgentWhenReady whenReady = AgentWhenReady.start(opened, installer(), conn, null, agentStarts, after);
                // drover_agent: wait — every task of the host goes through the agent (when it can start at all)
                if (mode == AgentMode.WAIT) whenReady.settled().join();
                opened = whenReady;
            }
            ops.put(key, opened);
            return opened;
        }
    }

    private Connection connection(String host, Map<String, Object> vars) throws IOException {
        Connection c = connections.get(host);
        if (c != null) return c;
        ConnectionSpec.Options o = ConnectionSpec.Options.defaults();
        if (options.remoteUser() != null) o = o.withUser(options.remoteUser());
        if (options.privateKey() != null) o = o.withPrivateKey(options.privateKey());
        c = transports.open(ConnectionSpec.fromVars(host, vars, o));
        connections.put(host, c);
        return c;
    }

    /**
     * How long a host's agentless round trips take in all before its agent starts, by default: about what the
     * agent's start costs (a JVM start on the host), so a short run never pays for one and a long run loses at
     * most this much to the slower agentless round trips (docs/performance.md#agent-start).
     */
    static final Duration AUTO_START_AFTER = Duration.ofSeconds(1);

    /**
     * {@code drover_agent}: auto (default: the agent once the host's work has paid for its start, and from when
     * it is ready), true (start it at once, use it once ready), false (agentless), wait (the agent from the first task).
     */
    private enum AgentMode { AUTO, ON, OFF, WAIT }

    private static AgentMode agentMode(String host, Map<String, Object> vars) {
        Object v = vars.get("drover_agent");
        if (v == null) return AgentMode.AUTO;
        String word = String.valueOf(v).strip().toLowerCase(java.util.Locale.ROOT);
        if (word.equals("wait")) return AgentMode.WAIT;
        if (word.equals("auto")) return AgentMode.AUTO;
        try {
            return ArgSpec.toBool(null, v) ? AgentMode.ON : AgentMode.OFF;
        } catch (IllegalArgumentException e) {
            throw new UserError(null, "host " + host + ": drover_agent: expected auto, true, false or wait, found '" + v + "'");
        }
    }

    private AgentInstaller installer() {
        AgentInstaller i = installer;
        if (i == null) {
            synchronized (this) {
                if (installer == null) {
                    try {
                        installer = AgentInstaller.withEmbeddedJar(agentOptions, scheduler);
                    } catch (IOException e) {
                        throw new UncheckedIOException("the embedded agent jar is missing; rebuild with ./mvnw package", e);
                    }
                }
                i = installer;
            }
        }
        return i;
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    @Override
    public void close() {
        // Agents still starting are given up, not waited for (AgentWhenReady.close): the run ends when its tasks
        // are done. Ready agents are stopped in parallel: each stop is a few round trips to its host.
        List<HostOps> all = new ArrayList<>(ops.values());
        ExecutorService closers = Executors.newFixedThreadPool(Math.max(1, Math.min(all.size(), 32)), r -> {
            Thread t = new Thread(r, "drover-close");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<Void>> closes = new ArrayList<>();
            for (HostOps o : all) {
                closes.add(() -> {
                    try {
                        o.close();
                    } catch (IOException | RuntimeException ignored) {
                        // closing is best effort: the agent also exits when its channel closes
                    }
                    return null;
                });
            }
            closers.invokeAll(closes, AGENT_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closers.shutdownNow();
        }
        agentStarts.shutdownNow();
        transports.close();
        scheduler.shutdownNow();
    }

}
