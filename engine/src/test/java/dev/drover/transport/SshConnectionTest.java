package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.testing.TestSshServer;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.ShellHostOps;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshConnectionTest {
    private static final String USER = "deploy";
    private static final String PASSWORD = "s3cret-Pa55word";

    @TempDir Path tmp;
    private TestSshServer server;
    private Transports transports;
    private Path knownHosts;

    @BeforeEach
    void setUp() throws IOException {
        server = TestSshServer.builder().user(USER, PASSWORD).build();
        knownHosts = server.writeKnownHosts(tmp.resolve("known_hosts"));
        transports = new Transports();
    }

    @AfterEach
    void tearDown() throws IOException {
        transports.close();
        server.close();
    }

    private ConnectionSpec spec() {
        return ConnectionSpec.ssh("db1", server.host(), server.port(), USER)
                .withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, knownHosts)
                .withPassword(PASSWORD);
    }

    private Connection open() throws IOException {
        return transports.open(spec());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"})
    void keyAuthentication(String type) throws IOException {
        KeyPair kp = TestSshServer.generateKeyPair(type);
        server.authorize(USER, kp.getPublic());
        Path key = TestSshServer.writePrivateKey(kp, tmp.resolve("id_" + type));
        ConnectionSpec s = spec().withPassword(null).withPrivateKeys(List.of(key));
        try (Connection c = transports.open(s)) {
            assertThat(c.exec("echo ok", ExecOptions.NONE).stdoutText()).isEqualTo("ok\n");
        }
    }

    @Test
    void unauthorizedKeyAndNoPasswordFailsNamingWhatWasTried() throws IOException {
        Path key = TestSshServer.writePrivateKey(TestSshServer.generateKeyPair("ssh-ed25519"), tmp.resolve("id_other"));
        ConnectionSpec s = spec().withPassword(null).withPrivateKeys(List.of(key));
        assertThatThrownBy(() -> transports.open(s))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db1 (127.0.0.1:" + server.port() + ") as deploy")
                .hasMessageContaining("authentication failed")
                .hasMessageContaining(key.toString())
                .hasMessageContaining("no password");
    }

    @Test
    void passwordAuthentication() throws IOException {
        try (Connection c = open()) {
            assertThat(c.exec("echo hi", ExecOptions.NONE).stdoutText()).isEqualTo("hi\n");
        }
    }

    @Test
    void wrongPasswordIsAClearErrorWithoutThePassword() {
        String wrong = "not-the-Right-one";
        assertThatThrownBy(() -> transports.open(spec().withPassword(wrong)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("cannot connect to db1 (127.0.0.1:" + server.port() + ") as deploy")
                .hasMessageContaining("authentication failed")
                .hasMessageContaining("password")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong).doesNotContain(PASSWORD));
    }

    @Test
    void passwordsStayOutOfDebugLogs() throws IOException {
        // all of MINA and Drover at TRACE, captured instead of printed
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.sshd");
        ch.qos.logback.classic.Logger drover = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.drover");
        ch.qos.logback.classic.Level before = root.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        for (var l : List.of(root, drover)) {
            l.addAppender(logs);
            l.setAdditive(false);
            l.setLevel(ch.qos.logback.classic.Level.TRACE);
        }
        try {
            assertThatThrownBy(() -> transports.open(spec().withPassword("Wrong-Secret-123"))).isInstanceOf(TransportException.class);
            try (Connection c = open()) {
                c.exec("true", ExecOptions.NONE);
            }
        } finally {
            for (var l : List.of(root, drover)) {
                l.setLevel(before);
                l.setAdditive(true);
                l.detachAppender(logs);
            }
        }
        assertThat(logs.list).isNotEmpty();
        for (var e : logs.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain("Wrong-Secret-123").doesNotContain(PASSWORD);
        }
    }

    @Test
    void missingKeyFileIsNamed() {
        Path missing = tmp.resolve("nope/id_rsa");
        assertThatThrownBy(() -> transports.open(spec().withPrivateKeys(List.of(missing))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void connectionRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConnectionSpec s = ConnectionSpec.ssh("db9", "127.0.0.1", port, USER).withPassword(PASSWORD)
                .withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, knownHosts);
        assertThatThrownBy(() -> transports.open(s))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db9 (127.0.0.1:" + port + ")")
                .hasMessageContaining("connection refused");
    }

    @Test
    void connectTimeoutIsReported() throws IOException {
        // A listener that never answers the SSH banner: the handshake cannot complete.
        try (ServerSocket silent = new ServerSocket(0)) {
            ConnectionSpec s = ConnectionSpec.ssh("db8", "127.0.0.1", silent.getLocalPort(), USER).withPassword(PASSWORD)
                    .withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, knownHosts).withConnectTimeout(Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> transports.open(s))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("db8 (127.0.0.1:" + silent.getLocalPort() + ")")
                    .hasMessageContaining("1s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void unknownHostIsRefusedWithFingerprintAndAdvice() throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        ConnectionSpec s = spec().withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, empty);
        assertThatThrownBy(() -> transports.open(s))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db1 (127.0.0.1:" + server.port() + ")")
                .hasMessageContaining("unknown host key ssh-ed25519 " + KeyUtils.getFingerPrint(server.hostKey()))
                .hasMessageContaining("ssh-keyscan -p " + server.port())
                .hasMessageContaining("accept-new");
        assertThat(Files.readString(empty)).isEmpty();
    }

    @Test
    void acceptNewWritesKnownHostsAtomicallyThenStrictAccepts() throws IOException {
        Path dir = tmp.resolve("ssh");
        Path file = dir.resolve("known_hosts");
        Files.createDirectories(dir);
        Files.writeString(file, "# existing\nother.example ssh-ed25519 "
                + PublicKeyEntry.toString(TestSshServer.generateKeyPair("ssh-ed25519").getPublic()).split(" ")[1]); // no newline
        try (Connection c = transports.open(spec().withHostKeys(ConnectionSpec.HostKeyPolicy.ACCEPT_NEW, file))) {
            assertThat(c.exec("true", ExecOptions.NONE).rc()).isZero();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).startsWith("# existing").contains(server.knownHostsLine());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp file left beside it
        }
        try (Connection c = transports.open(spec().withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, file))) {
            assertThat(c.exec("true", ExecOptions.NONE).rc()).isZero();
        }
        assertThat(Files.readAllLines(file)).hasSize(3);
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws IOException {
        KeyPair other = TestSshServer.generateKeyPair("ssh-ed25519");
        Path file = Files.writeString(tmp.resolve("kh_changed"),
                KnownHostHashValue.createHostPattern("127.0.0.1", server.port()) + " " + PublicKeyEntry.toString(other.getPublic()) + "\n");
        String before = Files.readString(file);
        for (ConnectionSpec.HostKeyPolicy p : List.of(ConnectionSpec.HostKeyPolicy.STRICT, ConnectionSpec.HostKeyPolicy.ACCEPT_NEW)) {
            assertThatThrownBy(() -> transports.open(spec().withHostKeys(p, file)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("db1 (127.0.0.1:" + server.port() + ")")
                    .hasMessageContaining("HOST KEY MISMATCH")
                    .hasMessageContaining(KeyUtils.getFingerPrint(server.hostKey()))
                    .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + server.port() + "'");
        }
        assertThat(Files.readString(file)).isEqualTo(before);
        // host_key_checking: false connects anyway
        try (Connection c = transports.open(spec().withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, file))) {
            assertThat(c.exec("true", ExecOptions.NONE).rc()).isZero();
        }
    }

    @Test
    void hostKnownByAnotherKeyTypeIsNotMistakenForChanged() throws IOException {
        KeyPair rsa = TestSshServer.generateKeyPair("ssh-rsa");
        KeyPair ecdsa = TestSshServer.generateKeyPair("ecdsa-sha2-nistp256");
        try (TestSshServer multi = TestSshServer.builder().user(USER, PASSWORD).extraHostKey(ecdsa).extraHostKey(rsa).build()) {
            for (KeyPair known : List.of(rsa, ecdsa)) {
                Path file = Files.writeString(tmp.resolve("kh-" + KeyUtils.getKeyType(known.getPublic())),
                        KnownHostHashValue.createHostPattern("127.0.0.1", multi.port()) + " " + PublicKeyEntry.toString(known.getPublic()) + "\n");
                ConnectionSpec s = ConnectionSpec.ssh("db2", "127.0.0.1", multi.port(), USER).withPassword(PASSWORD)
                        .withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, file);
                try (Connection c = transports.open(s)) {
                    assertThat(c.exec("echo ok", ExecOptions.NONE).stdoutText()).isEqualTo("ok\n");
                }
            }
            // with nothing on file, ed25519 is asked for first, as OpenSSH's ssh does
            Path fresh = tmp.resolve("kh-fresh");
            ConnectionSpec s = ConnectionSpec.ssh("db2", "127.0.0.1", multi.port(), USER).withPassword(PASSWORD)
                    .withHostKeys(ConnectionSpec.HostKeyPolicy.ACCEPT_NEW, fresh);
            try (Connection c = transports.open(s)) {
                assertThat(c.exec("true", ExecOptions.NONE).rc()).isZero();
            }
            assertThat(Files.readString(fresh)).contains(" ssh-ed25519 ");
        }
    }

    @Test
    void hashedKnownHostsEntryIsHonoured() throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        byte[] hash = KnownHostHashValue.calculateHashValue("127.0.0.1", server.port(), KnownHostHashValue.DEFAULT_DIGEST, salt);
        String line = "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash)
                + " " + PublicKeyEntry.toString(server.hostKey());
        Path file = Files.writeString(tmp.resolve("kh_hashed"), line + "\n");
        try (Connection c = transports.open(spec().withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, file))) {
            assertThat(c.exec("echo hashed", ExecOptions.NONE).stdoutText()).isEqualTo("hashed\n");
        }
    }

    @Test
    void execReportsRcStdoutStderrAndTakesStdinAndEnv() throws IOException {
        try (Connection c = open()) {
            ExecResult r = c.exec("echo out; echo err >&2; exit 3", ExecOptions.NONE);
            assertThat(r.rc()).isEqualTo(3);
            assertThat(r.stdoutText()).isEqualTo("out\n");
            assertThat(r.stderrText()).isEqualTo("err\n");

            byte[] data = new byte[300_000];
            new java.util.Random(1).nextBytes(data);
            ExecResult cat = c.exec("cat", ExecOptions.NONE.withStdin(data));
            assertThat(cat.stdout()).isEqualTo(data);

            ExecResult env = c.exec("printf '%s|%s' \"$GREETING\" \"$OTHER\"",
                    new ExecOptions(null, null, Map.of("GREETING", "it's a \"test\" $HOME", "OTHER", "x y")));
            assertThat(env.stdoutText()).isEqualTo("it's a \"test\" $HOME|x y");

            byte[] big = new byte[5_000_000];
            new java.util.Random(3).nextBytes(big);
            assertThat(c.exec("wc -c", ExecOptions.NONE.withStdin(big)).stdoutText().trim()).isEqualTo("5000000");
            // a command that ignores a large input still times out on time
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.exec("sleep 30", ExecOptions.NONE.withStdin(big).withTimeout(Duration.ofSeconds(1))))
                    .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));

            // no stdin given: the command sees EOF rather than waiting forever
            assertThat(c.exec("cat; echo done", ExecOptions.NONE.withTimeout(Duration.ofSeconds(10))).stdoutText()).isEqualTo("done\n");
        }
    }

    @Test
    void invalidEnvNameIsRejected() throws IOException {
        try (Connection c = open()) {
            assertThatThrownBy(() -> c.exec("true", new ExecOptions(null, null, Map.of("A;rm -rf /", "x"))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void timeoutKillsTheRemoteProcessGroup() throws Exception {
        String marker = "drover-timeout-" + UUID.randomUUID();
        try (Connection c = open()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.exec("sh -c 'while :; do sleep 0.2; done' " + marker + " & wait; echo never",
                    ExecOptions.NONE.withTimeout(Duration.ofMillis(1500))))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("db1")
                    .hasMessageContaining("timed out after 1500ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
            awaitNoProcess(marker);
            // the session is still usable
            ExecResult r = c.exec("echo after", ExecOptions.NONE.withTimeout(Duration.ofSeconds(10)));
            assertThat(r.stdoutText()).isEqualTo("after\n"); // and the pgid line is not in stdout
        }
    }

    @Test
    void parallelExecsShareOneSession() throws Exception {
        try (Connection c = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                long t0 = System.nanoTime();
                List<Future<ExecResult>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    fs.add(pool.submit(() -> c.exec("sleep 1; echo " + n, ExecOptions.NONE)));
                }
                for (int i = 0; i < 8; i++) assertThat(fs.get(i).get().stdoutText()).isEqualTo(i + "\n");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.activeSessions()).isEqualTo(1);
        }
    }

    /** Agentless file primitives (commands with the content on stdin/stdout) over a real SSH session. */
    @Test
    void agentlessWritesAreAtomicApplyModeAndLeaveNoTempFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("remote"));
        Path target = dir.resolve("postgresql.conf");
        Files.writeString(target, "old contents that are longer than the new ones\n");
        try (Connection c = open()) {
            ShellHostOps ops = new ShellHostOps(c);
            FileStat written = ops.writeFile(target.toString(), "port = 5433\n".getBytes(StandardCharsets.UTF_8), new FileAttrs(0640, null, null));
            assertThat(Files.readString(target)).isEqualTo("port = 5433\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
            assertThat(written.size()).isEqualTo(12);
            assertThat(written.mode()).isEqualTo(0640);
            ops.writeFile(dir.resolve("new-file").toString(), new byte[0], new FileAttrs(0600, null, null));
            assertThat(Files.size(dir.resolve("new-file"))).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new-file")))).isEqualTo("rw-------");
            assertThat(ops.readFile(target.toString())).isEqualTo("port = 5433\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> ops.writeFile(dir.resolve("no/such/dir/f").toString(), new byte[1], null))
                    .isInstanceOf(IOException.class).hasMessageContaining("no/such/dir/f");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("postgresql.conf", "new-file");
        }
    }

    @Test
    void agentlessReadsAreBinarySafeAndAMissingFileIsNamed() throws IOException {
        try (Connection c = open()) {
            ShellHostOps ops = new ShellHostOps(c);
            byte[] big = new byte[1_000_000];
            new java.util.Random(2).nextBytes(big);
            Path f = Files.write(tmp.resolve("big.bin"), big);
            assertThat(ops.readFile(f.toString())).isEqualTo(big);
            assertThatThrownBy(() -> ops.readFile(tmp.resolve("missing").toString()))
                    .isInstanceOf(IOException.class).isNotInstanceOf(TransportException.class)
                    .hasMessageContaining("missing").hasMessageContaining("No such file");
        }
    }

    @Test
    void reconnectsOnceAfterTheServerDroppedTheSession() throws Exception {
        try (Connection c = open()) {
            assertThat(c.exec("echo 1", ExecOptions.NONE).stdoutText()).isEqualTo("1\n");
            server.dropSessions();
            awaitCondition(() -> !((SshConnection) c).isConnected());
            assertThat(c.exec("echo 2", ExecOptions.NONE).stdoutText()).isEqualTo("2\n");
            assertThat(server.activeSessions()).isEqualTo(1);
        }
    }

    @Test
    void reconnectFailureIsUnreachable() throws Exception {
        Connection c = open();
        server.close();
        awaitCondition(() -> !((SshConnection) c).isConnected());
        assertThatThrownBy(() -> c.exec("true", ExecOptions.NONE))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("db1 (127.0.0.1:" + server.port() + ")")
                .hasMessageContaining("connection refused");
    }

    @Test
    void startGivesRawStreamsAndCloseKillsTheProcess() throws Exception {
        String marker = "drover-agent-" + UUID.randomUUID();
        try (Connection c = open()) {
            RemoteProcess p = c.start("echo ready >&2; exec sh -c 'sleep 600 & cat; wait' " + marker);
            byte[] payload = new byte[256];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
            p.stdin().write(payload);
            p.stdin().flush();
            assertThat(p.stdout().readNBytes(payload.length)).isEqualTo(payload);
            assertThat(readLine(p.stderr())).isEqualTo("ready");
            assertThat(p.isAlive()).isTrue();
            assertThat(TestSshServer.processesMatching(marker)).isNotEmpty();
            p.close();
            awaitNoProcess(marker);
            assertThat(p.isAlive()).isFalse();

            RemoteProcess q = c.start("read x; echo got $x; exit 4");
            q.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            q.stdin().flush();
            assertThat(readLine(q.stdout())).isEqualTo("got hello");
            assertThat(q.waitFor(Duration.ofSeconds(10))).isEqualTo(4);
            q.close();
        }
    }

    @Test
    void startOnAStuckShellFailsAfterTheConnectTimeout() throws IOException {
        try (TestSshServer slow = TestSshServer.builder().user(USER, PASSWORD).startDelay(Duration.ofSeconds(20)).build()) {
            ConnectionSpec s = ConnectionSpec.ssh("db3", "127.0.0.1", slow.port(), USER).withPassword(PASSWORD)
                    .withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, knownHosts).withConnectTimeout(Duration.ofSeconds(4));
            try (Connection c = transports.open(s)) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> c.start("cat"))
                        .isInstanceOf(TransportException.class)
                        .hasMessageContaining("db3")
                        .hasMessageContaining("did not start within 4s");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            }
        }
    }

    @Test
    void jumpHostCarriesTheConnection() throws IOException {
        try (TestSshServer bastion = TestSshServer.builder().user("jumper", "jump-pw").forwarding(true).build()) {
            Files.writeString(knownHosts, bastion.knownHostsLine() + "\n", java.nio.file.StandardOpenOption.APPEND);
            // the bastion accepts the same password for user "jumper" only; the target user is "deploy"
            ConnectionSpec s = spec().withJump(new ConnectionSpec.JumpHost("jumper", "127.0.0.1", bastion.port()));
            assertThatThrownBy(() -> transports.open(s))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("jump host 127.0.0.1:" + bastion.port() + " as jumper");
        }
        try (TestSshServer bastion = TestSshServer.builder().user("jumper", PASSWORD).forwarding(true).build()) {
            Files.writeString(knownHosts, bastion.knownHostsLine() + "\n", java.nio.file.StandardOpenOption.APPEND);
            ConnectionSpec s = spec().withJump(new ConnectionSpec.JumpHost("jumper", "127.0.0.1", bastion.port()));
            try (Connection c = transports.open(s)) {
                assertThat(c.exec("echo through", ExecOptions.NONE).stdoutText()).isEqualTo("through\n");
                assertThat(bastion.activeSessions()).isEqualTo(1);
                assertThat(bastion.commands()).isEmpty();
                assertThat(server.commands()).contains("echo through");
            }
        }
    }

    @Test
    void secretsStayOutOfToString() throws IOException {
        ConnectionSpec s = spec();
        assertThat(s.toString()).doesNotContain(PASSWORD).contains("<hidden>");
        try (Connection c = open()) {
            assertThat(c.toString()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void localConnectionTypeGivesLocalConnection() throws IOException {
        ConnectionSpec s = ConnectionSpec.fromVars("localhost", Map.of("ansible_connection", "local"), ConnectionSpec.Options.defaults());
        try (Connection c = transports.open(s)) {
            assertThat(c).isInstanceOf(LocalConnection.class);
            assertThat(c.exec("echo local", ExecOptions.NONE).stdoutText()).isEqualTo("local\n");
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0 && ch != '\n') b.append((char) ch);
        return b.toString();
    }

    static String fullText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) b.append(t).append('\n');
        return b.toString();
    }

    static void awaitNoProcess(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (!TestSshServer.processesMatching(marker).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(TestSshServer.processesMatching(marker)).as("processes left with " + marker).isEmpty();
    }

    static void awaitCondition(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(cond.getAsBoolean()).isTrue();
    }
}
