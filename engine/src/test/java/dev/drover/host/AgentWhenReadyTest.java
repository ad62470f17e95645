package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Agentless until the agent is ready, the agent afterwards; agentless for good when the agent does not start. */
class AgentWhenReadyTest {

    @Test
    void runsAgentlessUntilTheAgentIsReadyThenThroughTheAgent() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            CompletableFuture<HostOps> agent = new CompletableFuture<>();
            AgentWhenReady ops = new AgentWhenReady(new ShellHostOps(fx.conn), agent);
            Path f = fx.dir.resolve("a.txt");

            assertThat(ops.mode()).isEqualTo("agentless");
            ops.writeFile(f.toString(), "one\n".getBytes(), FileAttrs.NONE);
            assertThat(ops.exec(ExecSpec.shell("cat " + f)).stdoutText()).isEqualTo("one\n");

            AgentHostOps started = fx.start();
            agent.complete(started);
            assertThat(ops.mode()).isEqualTo("agent");
            ops.writeFile(f.toString(), "two\n".getBytes(), FileAttrs.NONE);
            assertThat(new String(ops.readFile(f.toString()))).isEqualTo("two\n");
            assertThat(ops.stat(f.toString(), false, false).exists()).isTrue();

            long pid = started.info().pid();
            ops.close();
            assertThat(AgentFixture.waitUntilGone(pid, Duration.ofSeconds(5))).as("agent stopped on close").isTrue();
        }
    }

    @Test
    void anAgentReadyOnlyAfterCloseIsStopped() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            CompletableFuture<HostOps> agent = new CompletableFuture<>();
            AgentWhenReady ops = new AgentWhenReady(new ShellHostOps(fx.conn), agent);
            ops.close();
            assertThat(ops.settled()).isNotDone();
            AgentHostOps late = fx.start();
            agent.complete(late);
            assertThat(ops.settled()).isDone();
            assertThat(AgentFixture.waitUntilGone(late.info().pid(), Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void staysAgentlessWhenTheAgentCannotStart() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            AgentWhenReady failed = new AgentWhenReady(new ShellHostOps(fx.conn),
                    CompletableFuture.failedFuture(new java.io.IOException("no java")));
            AgentWhenReady none = new AgentWhenReady(new ShellHostOps(fx.conn), CompletableFuture.completedFuture(null));
            for (AgentWhenReady ops : new AgentWhenReady[] {failed, none}) {
                assertThat(ops.mode()).isEqualTo("agentless");
                assertThat(ops.exec(ExecSpec.shell("echo ok")).stdoutText()).isEqualTo("ok\n");
                ops.close();
            }
            assertThat(Files.exists(fx.dir)).isTrue();
        }
    }
}
