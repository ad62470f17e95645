package dev.drover.modules;

import dev.drover.host.AgentHostOps;
import dev.drover.host.AgentInstaller;
import dev.drover.host.AgentOptions;
import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.host.ShellHostOps;
import dev.drover.transport.ExecResult;
import dev.drover.transport.LocalConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * HostOps factories for the module suites: every {@code *Contract} runs once per implementation, through
 * {@code ...AgentlessTest} (ShellHostOps: exec + SFTP-less local files) and {@code ...AgentTest} (the real agent jar
 * the engine embeds, started over LocalConnection exactly as on a remote host).
 */
final class Hosts {
    private Hosts() {}

    static HostOps agentless() {
        return new ShellHostOps(new LocalConnection("localhost"));
    }

    private static AgentHostOps agent;
    private static Path agentDir;

    /**
     * The agent, through the jar the engine embeds. One agent process serves the whole JVM (a JVM start per test
     * would cost more than the suites themselves); each test gets a view whose close() leaves it running, and a
     * shutdown hook stops it and removes its install directory. A dead agent is replaced, so one test that kills
     * it cannot break the next.
     */
    static synchronized HostOps agent() throws IOException {
        if (agent == null || !agent.isAlive()) {
            if (agentDir == null) {
                agentDir = Files.createTempDirectory("drover-modules-agent");
                Runtime.getRuntime().addShutdownHook(new Thread(Hosts::stopAgent, "drover-modules-agent-stop"));
            }
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "modules-agent-heartbeat");
                t.setDaemon(true);
                return t;
            });
            AgentOptions options = AgentOptions.DEFAULTS.withInstallDir(agentDir.resolve("install").toString());
            AgentInstaller.Outcome o = AgentInstaller.withEmbeddedJar(options, scheduler)
                    .connect(new LocalConnection("testhost"), null, true);
            if (!(o instanceof AgentInstaller.Installed installed)) {
                throw new IllegalStateException("the agent did not start for the module suite: " + o);
            }
            agent = installed.ops();
        }
        return new Shared(agent);
    }

    private static synchronized void stopAgent() {
        if (agent != null) agent.close();
        try (var walk = Files.walk(agentDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared agent, with a close() that leaves it running for the next test. */
    private record Shared(AgentHostOps ops) implements HostOps {
        @Override
        public ExecResult exec(ExecSpec spec) throws IOException {
            return ops.exec(spec);
        }

        @Override
        public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
            return ops.stat(path, checksum, follow);
        }

        @Override
        public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
            return ops.writeFile(path, content, attrs);
        }

        @Override
        public byte[] readFile(String path) throws IOException {
            return ops.readFile(path);
        }

        @Override
        public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
            return ops.mkdirs(path, attrs);
        }

        @Override
        public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
            return ops.setAttrs(path, attrs);
        }

        @Override
        public void symlink(String target, String link) throws IOException {
            ops.symlink(target, link);
        }

        @Override
        public boolean remove(String path, boolean recursive) throws IOException {
            return ops.remove(path, recursive);
        }

        @Override
        public Map<String, Object> facts() throws IOException {
            return ops.facts();
        }

        @Override
        public String mode() {
            return ops.mode();
        }

        @Override
        public void close() {
            // shared: stopped by the shutdown hook
        }
    }
}
