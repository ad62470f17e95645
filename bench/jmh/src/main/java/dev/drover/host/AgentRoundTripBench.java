package dev.drover.host;

import dev.drover.transport.LocalConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request to a host agent and its answer, with a real agent process (the jar the engine embeds) started over
 * {@link LocalConnection}: the protocol, framing and the agent's work, without SSH (the lab's bench/bench.sh
 * measures that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgentRoundTripBench {
    private Path dir;
    private ScheduledExecutorService scheduler;
    private AgentHostOps ops;
    private final ExecSpec trueCmd = ExecSpec.argv(List.of("true"));

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("drover-agent-jmh");
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jmh-heartbeat");
            t.setDaemon(true);
            return t;
        });
        AgentInstaller installer = AgentInstaller.withEmbeddedJar(AgentOptions.DEFAULTS.withInstallDir(dir.toString()), scheduler);
        AgentInstaller.Outcome o = installer.connect(new LocalConnection("localhost"), null, true);
        if (!(o instanceof AgentInstaller.Installed inst)) throw new IllegalStateException("the agent did not start: " + o);
        ops = inst.ops();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        scheduler.shutdownNow();
    }

    /** An empty request: the protocol's floor. */
    @Benchmark
    public void ping() throws IOException {
        ops.ping();
    }

    /** stat of a file, as copy/file/template do before deciding to change anything. */
    @Benchmark
    public Object stat() throws IOException {
        return ops.stat("/etc/hosts", false, false);
    }

    /** {@code command: true}: the agent starts a process and returns its result. */
    @Benchmark
    public Object execTrue() throws IOException {
        return ops.exec(trueCmd);
    }
}
