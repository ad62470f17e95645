package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HostAgentsTest {

    @Test
    void oneAgentPerUserReusedRestartedWhenDeadAndAllStoppedOnClose() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            Path pgHome = Files.createDirectories(fx.dir.resolve("pg"));
            UnaryOperator<String> asPostgres = cmd -> "env HOME=" + ShellQuote.quote(pgHome.toString()) + " /bin/sh -c " + ShellQuote.quote(cmd);
            HostAgents agents = new HostAgents(fx.installer(fx.options()), fx.conn, true);

            AgentHostOps login = ((AgentInstaller.Installed) agents.forUser(null, null)).ops();
            AgentHostOps postgres = ((AgentInstaller.Installed) agents.forUser("postgres", asPostgres)).ops();
            assertThat(agents.forUser(null, null)).isSameAs(agents.forUser(null, null));
            assertThat(((AgentInstaller.Installed) agents.forUser(null, null)).ops()).isSameAs(login);
            assertThat(postgres.info().pid()).isNotEqualTo(login.info().pid());
            assertThat(postgres.exec(ExecSpec.shell("echo $HOME")).stdoutText()).isEqualTo(pgHome + "\n");

            long oldPid = postgres.info().pid();
            ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
            assertThat(AgentFixture.waitUntilGone(oldPid, Duration.ofSeconds(5))).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (postgres.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            AgentHostOps restarted = ((AgentInstaller.Installed) agents.forUser("postgres", asPostgres)).ops();
            assertThat(restarted.info().pid()).isNotEqualTo(oldPid);
            assertThat(restarted.exec(ExecSpec.shell("echo again")).stdoutText()).isEqualTo("again\n");

            agents.close();
            assertThat(AgentFixture.waitUntilGone(login.info().pid(), Duration.ofSeconds(5))).isTrue();
            assertThat(AgentFixture.waitUntilGone(restarted.info().pid(), Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aDisabledHostIsAgentlessForEveryUser() throws Exception {
        try (AgentFixture fx = new AgentFixture(); HostAgents agents = new HostAgents(fx.installer(fx.options()), fx.conn, false)) {
            assertThat(agents.forUser(null, null)).isInstanceOf(AgentInstaller.Agentless.class);
            assertThat(agents.forUser("postgres", UnaryOperator.identity())).isInstanceOf(AgentInstaller.Agentless.class);
        }
    }
}
