package dev.drover.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entry point of the host agent: {@code java -jar drover-agent.jar [--heartbeat-timeout SECONDS]}.
 * Frames come on stdin and go out on stdout; stderr carries only a last word before a fatal exit.
 */
public final class AgentMain {
    /** Generous: a controller paused in a debugger or swapping should not lose its agents. */
    static final long DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 300;

    private AgentMain() {}

    public static void main(String[] args) {
        long heartbeatSeconds = DEFAULT_HEARTBEAT_TIMEOUT_SECONDS;
        for (int i = 0; i < args.length; i++) {
            if ("--heartbeat-timeout".equals(args[i]) && i + 1 < args.length) {
                heartbeatSeconds = Long.parseLong(args[++i]);
            } else if ("--version".equals(args[i])) {
                System.out.println("drover-agent " + Handlers.AGENT_VERSION);
                return;
            } else {
                System.err.println("drover-agent: unknown argument '" + args[i] + "'; usage: java -jar drover-agent.jar [--heartbeat-timeout SECONDS]");
                System.exit(64);
            }
        }
        PrintStream log = System.err;
        // stdout belongs to the protocol: anything printed by accident must not corrupt a frame.
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.setOut(log);

        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "drover-agent-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });

        Handlers handlers = new Handlers(new ExecHandler(pool), new FileHandler(), new FactsHandler(pool),
                new WaitForHandler());
        Agent agent = new Agent(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16),
                new BufferedOutputStream(stdout, 1 << 16), log, pool, heartbeatSeconds * 1000, handlers);
        // SIGTERM/SIGHUP (e.g. sshd tearing the session down) must not leave children behind either.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.stop(143), "drover-agent-shutdown"));
        int code = agent.run();
        agent.stop(code);
    }
}
