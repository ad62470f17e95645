package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.transport.RemoteProcess;
import dev.drover.transport.ShellQuote;
import dev.drover.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent never outlives its controller, and the engine notices an agent that died or hung. */
class AgentLifecycleTest {
    private AgentFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AgentFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    /** Runs a long command through the agent in the background; returns the pid of its sleep. */
    private long startSleeper(AgentHostOps ops, String name, CompletableFuture<Throwable> outcome) throws Exception {
        Path pidFile = fx.dir.resolve(name + ".pid");
        Thread t = new Thread(() -> {
            try {
                ops.exec(ExecSpec.shell("sleep 300 & echo $! > " + ShellQuote.quote(pidFile.toString()) + "; wait"));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return AgentFixture.waitForPidFile(pidFile, Duration.ofSeconds(10));
    }

    /** What a run that gives up an agent start leaves: a JVM whose input ended before it could say hello. */
    @Test
    void anAgentWhoseInputEndsWhileItStartsExits() throws Exception {
        AgentInstaller.Installed installed = (AgentInstaller.Installed) fx.installer(fx.options()).connect(fx.conn, null, true);
        installed.ops().close();
        RemoteProcess proc = fx.conn.start("exec " + ShellQuote.join(List.of(installed.javaPath(), "-jar", installed.jarPath())));
        proc.stdin().close();
        assertThat(proc.waitFor(Duration.ofSeconds(30))).as("exit code").isEqualTo(0);
        proc.close();
    }

    @Test
    void endOfInputStopsTheAgentAndKillsWhatItStarted() throws Exception {
        AgentInstaller.Installed installed = (AgentInstaller.Installed) fx.installer(fx.options()).connect(fx.conn, null, true);
        installed.ops().close();
        // Own process, so that only stdin is closed: exactly what the host sees when the controller is SIGKILLed.
        RemoteProcess proc = fx.conn.start("exec " + ShellQuote.join(List.of(installed.javaPath(), "-jar", installed.jarPath())));
        AgentChannel channel = new AgentChannel(proc, "eof-test", fx.options().withHeartbeat(null, Duration.ofSeconds(300),
                Duration.ofSeconds(60)), fx.scheduler);
        AgentHostOps ops = new AgentHostOps(channel);
        long agentPid = ops.info().pid();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        long sleeper = startSleeper(ops, "eof", outcome);
        assertThat(AgentFixture.running(agentPid)).isTrue();

        proc.stdin().close();

        assertThat(AgentFixture.waitUntilGone(agentPid, Duration.ofSeconds(5))).as("agent %d exited", agentPid).isTrue();
        assertThat(AgentFixture.waitUntilGone(sleeper, Duration.ofSeconds(5))).as("sleep %d killed", sleeper).isTrue();
        assertThat(proc.waitFor(Duration.ofSeconds(5))).isZero();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(TransportException.class).hasMessageContaining("exited");
        assertThatThrownBy(() -> ops.exec(ExecSpec.shell("true"))).isInstanceOf(TransportException.class);
        assertThat(ops.isAlive()).isFalse();
        channel.close();
    }

    @Test
    void sigtermStopsTheAgentAndKillsWhatItStarted() throws Exception {
        AgentHostOps ops = fx.start();
        long agentPid = ops.info().pid();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        long sleeper = startSleeper(ops, "term", outcome);
        ProcessHandle.of(agentPid).orElseThrow().destroy();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(TransportException.class);
        assertThat(AgentFixture.waitUntilGone(agentPid, Duration.ofSeconds(5))).isTrue();
        assertThat(AgentFixture.waitUntilGone(sleeper, Duration.ofSeconds(5))).as("sleep %d killed", sleeper).isTrue();
        ops.close();
    }

    @Test
    void protocolMismatchesAreExplained() throws Exception {
        AgentInstaller.Installed installed = (AgentInstaller.Installed) fx.installer(fx.options()).connect(fx.conn, null, true);
        installed.ops().close();
        RemoteProcess proc = fx.conn.start("exec " + ShellQuote.join(List.of(installed.javaPath(), "-jar", installed.jarPath())));
        try (AgentChannel channel = new AgentChannel(proc, "proto-test", fx.options(), fx.scheduler)) {
            assertThatThrownBy(() -> channel.call(99, new java.util.HashMap<>(), Duration.ofSeconds(10)))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("unknown request type 99");
            java.util.Map<String, Object> hello = new java.util.HashMap<>();
            hello.put("version", 2L);
            assertThatThrownBy(() -> channel.call(dev.drover.agent.protocol.MessageType.HELLO, hello, Duration.ofSeconds(10)))
                    .hasMessageContaining("engine speaks protocol 2, this agent speaks 1");
            java.util.Map<String, Object> badStat = new java.util.HashMap<>();
            badStat.put("path", 42L);
            assertThatThrownBy(() -> channel.call(dev.drover.agent.protocol.MessageType.STAT, badStat, Duration.ofSeconds(10)))
                    .hasMessageContaining("field 'path' should be a string");
            assertThat(channel.isAlive()).isTrue();
        }
    }

    @Test
    void agentStopsWhenHeartbeatsStop() throws Exception {
        AgentHostOps ops = fx.start(fx.options().withHeartbeat(null, Duration.ofSeconds(2), Duration.ofSeconds(60)));
        long agentPid = ops.info().pid();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        long sleeper = startSleeper(ops, "hb", outcome);

        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(TransportException.class).hasMessageContaining("heartbeat timeout");
        assertThat(AgentFixture.waitUntilGone(agentPid, Duration.ofSeconds(5))).isTrue();
        assertThat(AgentFixture.waitUntilGone(sleeper, Duration.ofSeconds(5))).as("sleep %d killed", sleeper).isTrue();
        ops.close();
    }

    @Test
    void heartbeatsKeepAnIdleAgentAlive() throws Exception {
        try (AgentHostOps ops = fx.start(fx.options().withHeartbeat(Duration.ofMillis(300), Duration.ofSeconds(1),
                Duration.ofSeconds(10)))) {
            Thread.sleep(2500);
            assertThat(ops.exec(ExecSpec.shell("echo alive")).stdoutText()).isEqualTo("alive\n");
        }
    }

    @Test
    void aKilledAgentFailsWaitingAndLaterCalls() throws Exception {
        AgentHostOps ops = fx.start();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        long sleeper = startSleeper(ops, "killed", outcome);
        ProcessHandle sleeperShell = ProcessHandle.of(sleeper).flatMap(ProcessHandle::parent).orElseThrow();
        ProcessHandle.of(ops.info().pid()).orElseThrow().destroyForcibly();
        // A SIGKILLed agent cannot clean up (a known limit); do it here so the test leaves nothing behind.
        ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        sleeperShell.destroyForcibly();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(TransportException.class)
                .hasMessageContaining("agent on testhost as ").hasMessageContaining("exited");
        assertThatThrownBy(() -> ops.stat("/", false, false)).isInstanceOf(TransportException.class).hasMessageContaining("exited");
        ops.close();
    }

    @Test
    void aHungAgentIsDeclaredDead() throws Exception {
        AgentHostOps ops = fx.start(fx.options().withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(300), Duration.ofSeconds(1)));
        long pid = ops.info().pid();
        new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
        try {
            CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
                try {
                    ops.exec(ExecSpec.shell("true"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .rootCause().isInstanceOf(TransportException.class).hasMessageContaining("stopped answering");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ops.close();
        }
    }
}
