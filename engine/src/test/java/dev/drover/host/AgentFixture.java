package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.LocalConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Starts real agents (the jar the engine embeds) over LocalConnection, installed into a temp directory. */
final class AgentFixture implements AutoCloseable {
    final Path dir;
    final LocalConnection conn = new LocalConnection("testhost");
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-test-heartbeat");
        t.setDaemon(true);
        return t;
    });

    AgentFixture() throws IOException {
        dir = Files.createTempDirectory("drover-agent-test");
    }

    AgentOptions options() {
        return AgentOptions.DEFAULTS.withInstallDir(dir.resolve("install").toString());
    }

    AgentInstaller installer(AgentOptions options) throws IOException {
        return AgentInstaller.withEmbeddedJar(options, scheduler);
    }

    AgentHostOps start() throws IOException {
        return start(options());
    }

    AgentHostOps start(AgentOptions options) throws IOException {
        AgentInstaller.Outcome o = installer(options).connect(conn, null, true);
        assertThat(o).isInstanceOf(AgentInstaller.Installed.class);
        return ((AgentInstaller.Installed) o).ops();
    }

    /** Alive and not a zombie: a killed child whose parent is gone may linger as a zombie until reaped. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static boolean waitUntilGone(long pid, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (!running(pid)) return true;
            Thread.sleep(50);
        }
        return !running(pid);
    }

    static long waitForPidFile(Path file, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                String s = Files.readString(file).trim();
                if (!s.isEmpty()) return Long.parseLong(s);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pid file " + file + " after " + max);
    }

    @Override
    public void close() throws IOException {
        scheduler.shutdownNow();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
