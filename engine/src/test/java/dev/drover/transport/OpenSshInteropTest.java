package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.testing.OpenSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same client against a real OpenSSH sshd on 127.0.0.1, started and removed by the test. */
class OpenSshInteropTest {
    private static OpenSshServer sshd;
    private static Transports transports;
    private static Connection root;

    @TempDir static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshServer.available(), "needs root and /usr/sbin/sshd");
        sshd = new OpenSshServer();
        transports = new Transports();
        Path kh = sshd.writeKnownHosts(tmp.resolve("known_hosts"));
        ConnectionSpec spec = ConnectionSpec.fromVars("pg-primary", Map.of(
                "ansible_host", "127.0.0.1",
                "ansible_port", sshd.port(),
                "ansible_user", "root",
                "ansible_ssh_private_key_file", sshd.clientKeyFile().toString(),
                "drover_known_hosts_file", kh.toString()), ConnectionSpec.Options.defaults());
        root = transports.open(spec);
    }

    @AfterAll
    static void stop() throws IOException {
        if (transports != null) transports.close();
        if (sshd != null) sshd.close();
    }

    @Test
    void execStdoutStderrRcStdinEnv() throws IOException {
        ExecResult r = root.exec("echo out; echo err >&2; cat; echo \"$V\"; exit 7",
                new ExecOptions("piped\n".getBytes(StandardCharsets.UTF_8), null, Map.of("V", "a 'b' $c")));
        assertThat(r.rc()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo("out\npiped\na 'b' $c\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
    }

    @Test
    void timeoutKillsTheWholeProcessGroupOnRealSshd() throws Exception {
        String marker = "drover-ossh-timeout-" + UUID.randomUUID();
        assertThatThrownBy(() -> root.exec("sh -c 'while :; do sleep 0.2; done' " + marker + " & sleep 600",
                ExecOptions.NONE.withTimeout(Duration.ofSeconds(1))))
                .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("timed out after 1s");
        SshConnectionTest.awaitNoProcess(marker);
        assertThat(root.exec("echo fine", ExecOptions.NONE.withTimeout(Duration.ofSeconds(5))).stdoutText()).isEqualTo("fine\n");
    }

    @Test
    void startStreamsAndCloseLeavesNoProcess() throws Exception {
        String marker = "drover-ossh-agent-" + UUID.randomUUID();
        RemoteProcess p = root.start("exec sh -c 'cat' " + marker);
        p.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
        p.stdin().flush();
        assertThat(SshConnectionTest.readLine(p.stdout())).isEqualTo("ping");
        assertThat(dev.drover.testing.TestSshServer.processesMatching(marker)).isNotEmpty();
        p.close();
        SshConnectionTest.awaitNoProcess(marker);
    }

    @Test
    void agentlessWriteOverwritesAtomicallyWithModeAndReadsBack() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("up"));
        Path f = Files.writeString(dir.resolve("recovery.conf"), "old\n");
        dev.drover.host.ShellHostOps ops = new dev.drover.host.ShellHostOps(root);
        ops.writeFile(f.toString(), "new\n".getBytes(StandardCharsets.UTF_8), new dev.drover.host.FileAttrs(0600, null, null));
        assertThat(Files.readString(f)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
        assertThat(ops.readFile(f.toString())).isEqualTo("new\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sudoBecomeToNobody() throws IOException {
        Connection c = new BecomeConnection(root, Become.sudo("nobody"));
        ExecResult r = c.exec("id -un; cat", ExecOptions.NONE.withStdin("x\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.rc()).isZero();
        assertThat(r.stdoutText()).isEqualTo("nobody\nx\n");
    }

    @Test
    void suPasswordIsTypedOnATerminal() throws IOException {
        // Root never gets a password prompt from the real su, so a stand-in su prompts on /dev/tty as
        // su/PAM do: this checks the terminal path (prompt detection, no echo, EOF, output bytes).
        Path fakeSu = Files.writeString(tmp.resolve("fake-su"), """
                #!/bin/sh
                printf 'Password: ' > /dev/tty
                IFS= read -r pw < /dev/tty
                [ "$pw" = 'Su-Pass-99' ] || { echo 'su: Authentication failure'; exit 1; }
                exec /bin/sh -c "$3"
                """);
        Files.setPosixFilePermissions(fakeSu, PosixFilePermissions.fromString("rwxr-xr-x"));
        Become su = new Become(true, "postgres", Become.Method.SU, "", "Su-Pass-99", fakeSu.toString(), Duration.ofSeconds(5));
        Connection c = new BecomeConnection(root, su);
        ExecResult r = c.exec("cat; echo done", ExecOptions.NONE.withStdin("l1\nl2\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.rc()).isZero();
        assertThat(r.stdoutText()).isEqualTo("l1\nl2\ndone\n").doesNotContain("Su-Pass-99");

        Connection wrong = new BecomeConnection(root, su.withPassword("nope-nope"));
        assertThatThrownBy(() -> wrong.exec("true", ExecOptions.NONE))
                .isInstanceOf(BecomeException.class).hasMessageContaining("incorrect password");
    }

    @Test
    void unknownHostKeyFromRealSshdIsRefused() throws IOException {
        Path empty = Files.writeString(tmp.resolve("kh-empty"), "");
        ConnectionSpec s = ConnectionSpec.ssh("pg-replica", "127.0.0.1", sshd.port(), "root")
                .withPrivateKeys(List.of(sshd.clientKeyFile()))
                .withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, empty);
        assertThatThrownBy(() -> transports.open(s))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("pg-replica (127.0.0.1:" + sshd.port() + ")")
                .hasMessageContaining("unknown host key ssh-ed25519 SHA256:");
    }
}
