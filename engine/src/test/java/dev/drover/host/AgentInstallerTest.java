package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.RemoteProcess;
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

    /** A fake JVM that fails as an old one does on the agent's Java 11 classes: {@code stderr}, exit code 1. */
    private UnaryOperator<String> oldJava(String name, String stderr) throws Exception {
        Path bin = Files.createDirectories(fx.dir.resolve(name + "/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\ncat >&2 <<'EOF'\n" + stderr + "\nEOF\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return cmd -> "env JAVA_HOME=" + ShellQuote.quote(bin.getParent().toString()) + " /bin/sh -c " + ShellQuote.quote(cmd);
    }

    @Test
    void aHostWithJava8RunsAgentless() throws Exception {
        // what OpenJDK 8 prints for java -jar on a jar of Java 11 classes
        UnaryOperator<String> jdk8 = oldJava("jdk8", "Error: A JNI error has occurred, please check your installation and try again\n"
                + "Exception in thread \"main\" java.lang.UnsupportedClassVersionError: dev/drover/agent/AgentMain has been "
                + "compiled by a more recent version of the Java Runtime (class file version 55.0), this version of the "
                + "Java Runtime only recognizes class file versions up to 52.0");
        AgentInstaller installer = fx.installer(fx.options());
        AgentInstaller.Outcome o = installer.connect(fx.conn, jdk8, true);
        assertThat(((AgentInstaller.Agentless) o).reason())
                .isEqualTo("java at " + fx.dir.resolve("jdk8/bin/java") + " on testhost is version 8; the agent needs Java 11 or newer");
        // the jar is on the host now: the one-command path says the same
        assertThat(installer.connect(fx.conn, jdk8, true)).isEqualTo(o);
    }

    @Test
    void aJvmOlderThanJava8IsTooOldToo() throws Exception {
        UnaryOperator<String> jdk7 = oldJava("jdk7", "Exception in thread \"main\" java.lang.UnsupportedClassVersionError: "
                + "dev/drover/agent/AgentMain : Unsupported major.minor version 55.0");
        AgentInstaller.Outcome o = fx.installer(fx.options()).connect(fx.conn, jdk7, true);
        assertThat(((AgentInstaller.Agentless) o).reason()).contains(fx.dir.resolve("jdk7/bin/java").toString())
                .contains("is older than Java 11").contains("needs Java 11 or newer");
    }

    /** Every command the installer runs, in order, as "exec: ..." or "start: ...". */
    private static final class Recording implements Connection {
        final Connection inner;
        final List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());

        Recording(Connection inner) {
            this.inner = inner;
        }

        @Override
        public String host() {
            return inner.host();
        }

        @Override
        public ExecResult exec(String command, ExecOptions options) throws java.io.IOException {
            commands.add("exec: " + command);
            return inner.exec(command, options);
        }

        @Override
        public RemoteProcess start(String command) throws java.io.IOException {
            commands.add("start: " + command);
            return inner.start(command);
        }

        @Override
        public void close() throws java.io.IOException {
            inner.close();
        }
    }

    @Test
    void anInstalledAgentStartsWithOneCommandAndAWrongJarIsUploadedThenLaunched() throws Exception {
        AgentInstaller installer = fx.installer(fx.options());
        Recording conn = new Recording(fx.conn);
        AgentInstaller.Installed fresh = (AgentInstaller.Installed) installer.connect(conn, null, true);
        fresh.ops().close();
        assertThat(fresh.uploaded()).isTrue();
        assertThat(conn.commands).hasSize(3);
        assertThat(conn.commands.get(0)).startsWith("start: ").contains("sha256sum").contains("exec \"$J\"");
        assertThat(conn.commands.get(1)).startsWith("exec: ").contains("cat > ");
        assertThat(conn.commands.get(2)).startsWith("start: exec ").contains("-jar");

        conn.commands.clear();
        AgentInstaller.Installed again = (AgentInstaller.Installed) installer.connect(conn, null, true);
        try (AgentHostOps ops = again.ops()) {
            assertThat(again.uploaded()).isFalse();
            assertThat(conn.commands).as("one command, no java -version").hasSize(1)
                    .allSatisfy(c -> assertThat(c).startsWith("start: ").doesNotContain("-version"));
            assertThat(ops.exec(ExecSpec.shell("echo ok")).stdoutText()).isEqualTo("ok\n");
            assertThat(again.javaVersion()).isEqualTo(System.getProperty("java.version"));
            assertThat(again.javaPath()).isNotEmpty();
            assertThat(ops.info().user()).isEqualTo(System.getProperty("user.name"));
        }

        Path jar = Path.of(again.jarPath());
        Files.write(jar, "not the agent".getBytes());
        conn.commands.clear();
        AgentInstaller.Installed replaced = (AgentInstaller.Installed) installer.connect(conn, null, true);
        try (AgentHostOps ops = replaced.ops()) {
            assertThat(replaced.uploaded()).isTrue();
            assertThat(conn.commands).hasSize(3);
            assertThat(conn.commands.get(1)).startsWith("exec: ").contains("cat > ");
            assertThat(sha256(jar)).isEqualTo(installer.jarSha256());
            assertThat(ops.stat("/", false, false).isDirectory()).isTrue();
        }
    }

    @Test
    void anUploadClearsTempFilesLeftByUploadsCutShort() throws Exception {
        Path installDir = Files.createDirectories(fx.dir.resolve("install"));
        Path stale = Files.writeString(installDir.resolve(".drover-agent-0123.jar.4711.tmp"), "half a jar");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - (AgentInstaller.STALE_UPLOAD_MINUTES + 2) * 60_000L));
        Path recent = Files.writeString(installDir.resolve(".drover-agent-0123.jar.4712.tmp"), "an upload under way");
        Path other = Files.writeString(installDir.resolve("notes.tmp"), "not ours");
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(stale));

        AgentInstaller.Installed inst = (AgentInstaller.Installed) fx.installer(fx.options()).connect(fx.conn, null, true);
        inst.ops().close();
        assertThat(inst.uploaded()).isTrue();
        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
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
    void namesTheJavaVersionFromTheJvmsOwnLimit() {
        String limit = "UnsupportedClassVersionError: ... (class file version 55.0), this version of the Java Runtime "
                + "only recognizes class file versions up to ";
        assertThat(AgentInstaller.jvmFailed("h", "/j", "", ": " + limit + "52.0").reason())
                .isEqualTo("java at /j on h is version 8; the agent needs Java 11 or newer");
        assertThat(AgentInstaller.jvmFailed("h", "/j", "", ": " + limit + "54.0").reason()).contains("is version 10");
        assertThat(AgentInstaller.jvmFailed("h", "/j", "java=/j\njar=/x\nlaunch=yes\nsome banner\n", " (exit code 1): Error: oops").reason())
                .isEqualTo("the agent did not start on h (exit code 1): Error: oops; it printed: some banner");
    }

    @Test
    void installDirTildeMeansTheUsersHome() {
        assertThat(AgentInstaller.dirExpression("~/.drover/agent")).isEqualTo("\"$HOME\"/.drover/agent");
        assertThat(AgentInstaller.dirExpression("/opt/my dir")).isEqualTo("'/opt/my dir'");
    }
}
