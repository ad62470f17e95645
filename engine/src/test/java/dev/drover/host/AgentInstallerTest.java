package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentInstallerTest {
    private AgentFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AgentFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsOnceReusesAndReplacesADamagedJar() throws Exception {
        AgentInstaller installer = fx.installer(fx.options());
        Path installDir = fx.dir.resolve("install");
        Path jar = installDir.resolve("drover-agent-" + installer.jarSha256() + ".jar");

        AgentInstaller.Installed first = (AgentInstaller.Installed) installer.connect(fx.conn, null, true);
        first.ops().close();
        assertThat(first.uploaded()).isTrue();
        assertThat(first.jarPath()).isEqualTo(jar.toString());
        assertThat(sha256(jar)).isEqualTo(installer.jarSha256()).isEqualTo(sha256OfEmbedded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installDir))).isEqualTo("rwx------");

        AgentInstaller.Installed second = (AgentInstaller.Installed) installer.connect(fx.conn, null, true);
        assertThat(second.uploaded()).isFalse();
        assertThat(second.ops().exec(ExecSpec.shell("echo ok")).stdoutText()).isEqualTo("ok\n");
        second.ops().close();

        byte[] damaged = Files.readAllBytes(jar);
        damaged[damaged.length / 2] ^= 0x55;
        Files.write(jar, damaged);
        AgentInstaller.Installed third = (AgentInstaller.Installed) installer.connect(fx.conn, null, true);
        assertThat(third.uploaded()).isTrue();
        assertThat(sha256(jar)).isEqualTo(installer.jarSha256());
        assertThat(third.ops().stat("/", false, false).isDirectory()).isTrue();
        third.ops().close();
        assertThat(names(installDir)).as("no temp files").containsExactly(jar.getFileName().toString());
    }

    private static String sha256OfEmbedded() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(AgentInstaller.embeddedJar()));
    }

    @Test
    void disabledHostsRunAgentless() throws Exception {
        AgentInstaller.Outcome o = fx.installer(fx.options()).connect(fx.conn, null, false);
        assertThat(o).isEqualTo(new AgentInstaller.Agentless("drover_agent is false for this host"));
    }

    @Test
    void aHostWithoutJavaRunsAgentless() throws Exception {
        UnaryOperator<String> noJava = cmd -> "env -u JAVA_HOME PATH=/nonexistent /bin/sh -c " + ShellQuote.quote(cmd);
        AgentInstaller.Outcome o = fx.installer(fx.options()).connect(fx.conn, noJava, true);
        assertThat(o).isInstanceOf(AgentInstaller.Agentless.class);
        assertThat(((AgentInstaller.Agentless) o).reason()).contains("no java on testhost").contains("Java 11 or newer");
        assertThat(Files.exists(fx.dir.resolve("install"))).isFalse();
    }

    @Test
    void aHostWithJava8RunsAgentless() throws Exception {
        Path home = Files.createDirectories(fx.dir.resolve("jdk8/bin"));
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        UnaryOperator<String> jdk8 = cmd -> "env JAVA_HOME=" + ShellQuote.quote(home.getParent().toString()) + " /bin/sh -c " + ShellQuote.quote(cmd);
        AgentInstaller.Outcome o = fx.installer(fx.options()).connect(fx.conn, jdk8, true);
        assertThat(((AgentInstaller.Agentless) o).reason()).contains("is version 8").contains(java.toString());
    }

    @Test
    void everyCommandGoesThroughTheBecomeWrapperAndHomeIsTheBecomeUsers() throws Exception {
        Path home = Files.createDirectories(fx.dir.resolve("home-of-postgres"));
        List<String> wrapped = new ArrayList<>();
        UnaryOperator<String> become = cmd -> {
            wrapped.add(cmd);
            return "env HOME=" + ShellQuote.quote(home.toString()) + " DROVER_BECOME=postgres /bin/sh -c " + ShellQuote.quote(cmd);
        };
        AgentInstaller installer = fx.installer(fx.options().withInstallDir("~/.drover/agent"));
        AgentInstaller.Installed inst = (AgentInstaller.Installed) installer.connect(fx.conn, become, true);
        try (AgentHostOps ops = inst.ops()) {
            assertThat(inst.jarPath()).isEqualTo(home.resolve(".drover/agent/drover-agent-" + installer.jarSha256() + ".jar").toString());
            assertThat(Files.exists(Path.of(inst.jarPath()))).isTrue();
            assertThat(ops.exec(ExecSpec.shell("echo $DROVER_BECOME $HOME")).stdoutText()).isEqualTo("postgres " + home + "\n");
        }
        assertThat(wrapped).hasSize(3);
        assertThat(wrapped.get(2)).startsWith("exec ").contains("-jar");
    }

    @Test
    void anAgentThatCannotStartIsReportedWithTheReason() throws Exception {
        List<String> jvm = new ArrayList<>(AgentOptions.FAST_START_JVM_OPTIONS);
        jvm.add("-XX:+NoSuchDroverOption");
        AgentOptions broken = new AgentOptions(fx.options().installDir(), jvm, null, java.time.Duration.ofSeconds(300),
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30));
        AgentInstaller.Outcome o = fx.installer(broken).connect(fx.conn, null, true);
        assertThat(((AgentInstaller.Agentless) o).reason()).contains("did not start").contains("NoSuchDroverOption");
    }

    @Test
    void readsJavaMajorVersions() {
        assertThat(AgentInstaller.javaMajor("openjdk version \"1.8.0_392\"")).isEqualTo(8);
        assertThat(AgentInstaller.javaMajor("openjdk version \"11.0.21\" 2023-10-17")).isEqualTo(11);
        assertThat(AgentInstaller.javaMajor("java version \"17\" 2021-09-14 LTS")).isEqualTo(17);
        assertThat(AgentInstaller.javaMajor("openjdk version \"21-ea\"")).isEqualTo(21);
        assertThat(AgentInstaller.javaMajor("bash: java: command not found")).isEqualTo(-1);
    }

    @Test
    void installDirTildeMeansTheUsersHome() {
        assertThat(AgentInstaller.dirExpression("~/.drover/agent")).isEqualTo("\"$HOME\"/.drover/agent");
        assertThat(AgentInstaller.dirExpression("/opt/my dir")).isEqualTo("'/opt/my dir'");
    }
}
