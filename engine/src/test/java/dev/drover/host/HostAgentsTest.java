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

    /** A real user switch: needs root and runuser(1), as on a CI machine or a developer's container. */
    @Test
    void becomeAnotherUserRunsItsOwnAgentWithItsRights() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser");
        Path shared = Files.createTempDirectory("drover-agent-become");
        try (AgentFixture fx = new AgentFixture()) {
            Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            UnaryOperator<String> asNobody = cmd -> "runuser -u nobody -- /bin/sh -c " + ShellQuote.quote(cmd);
            AgentInstaller installer = fx.installer(fx.options().withInstallDir(shared.resolve("agent").toString()));
            try (HostAgents agents = new HostAgents(installer, fx.conn, true)) {
                AgentHostOps nobody = ((AgentInstaller.Installed) agents.forUser("nobody", asNobody)).ops();
                assertThat(nobody.info().user()).isEqualTo("nobody");
                assertThat(nobody.exec(ExecSpec.argv(java.util.List.of("id", "-un"))).stdoutText()).isEqualTo("nobody\n");
                Path mine = shared.resolve("owned-by-nobody");
                nobody.writeFile(mine.toString(), "x".getBytes(), new FileAttrs(0600, null, null));
                assertThat(Files.getOwner(mine).getName()).isEqualTo("nobody");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> nobody.setAttrs(mine.toString(), new FileAttrs(null, "root", null)))
                        .isInstanceOf(java.nio.file.AccessDeniedException.class).hasMessageContaining(mine.toString());
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> nobody.readFile("/root/.profile-does-not-matter"))
                        .isInstanceOf(java.io.IOException.class).hasMessageContaining("/root/.profile-does-not-matter");
            }
        } finally {
            try (var walk = Files.walk(shared)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
