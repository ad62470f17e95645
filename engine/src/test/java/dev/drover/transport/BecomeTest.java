package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import dev.drover.testing.TestSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BecomeTest {
    private static final String BECOME_PW = "Become-Pw-4711";

    @TempDir Path tmp;
    private TestSshServer server;
    private Transports transports;
    private Connection ssh;
    private Path fakeSudo;

    @BeforeEach
    void setUp() throws IOException {
        server = TestSshServer.builder().user("deploy", "pw").build();
        transports = new Transports();
        ssh = transports.open(ConnectionSpec.ssh("db1", server.host(), server.port(), "deploy")
                .withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, tmp.resolve("kh")).withPassword("pw"));
        // A stand-in for sudo that asks for a password like `sudo -S -p PROMPT` does (the tests run as root,
        // and real sudo never asks root). It reads the password from stdin a byte at a time, as sudo does.
        fakeSudo = script("fake-sudo", """
                #!/bin/sh
                prompt="Password:"
                while [ $# -gt 0 ]; do case "$1" in -p) prompt="$2"; shift 2;; -u) shift 2;; -n) nonint=1; shift;; -*) shift;; *) break;; esac; done
                [ -n "$nonint" ] && { echo "sudo: a password is required" >&2; exit 1; }
                tries=0
                while [ $tries -lt 3 ]; do
                  printf '%s' "$prompt" >&2
                  IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }
                  [ "$pw" = '""" + BECOME_PW + """
                ' ] && exec "$@"
                  echo "Sorry, try again." >&2
                  tries=$((tries+1))
                done
                echo "sudo: 3 incorrect password attempts" >&2
                exit 1
                """);
    }

    @AfterEach
    void tearDown() throws IOException {
        transports.close();
        server.close();
    }

    private Path script(String name, String text) throws IOException {
        Path p = Files.writeString(tmp.resolve(name), text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Become fakeSudo() {
        return Become.sudo("postgres").withExe(fakeSudo.toString()).withPassword(BECOME_PW)
                .withPromptTimeout(Duration.ofSeconds(5));
    }

    @Test
    void realSudoToNobodyWithoutPasswordOnLocalConnection() throws IOException {
        try (Connection c = new BecomeConnection(new LocalConnection("localhost"), Become.sudo("nobody"))) {
            ExecResult r = c.exec("id -un; echo \"$X\"; cat", new ExecOptions("in\n".getBytes(StandardCharsets.UTF_8), null, Map.of("X", "x y")));
            assertThat(r.rc()).isZero();
            assertThat(r.stdoutText()).isEqualTo("nobody\nx y\nin\n");
            RemoteProcess p = c.start("id -un; cat");
            p.stdin().write("agent\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().close();
            assertThat(new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("nobody\nagent\n");
            p.close();
        }
    }

    @Test
    void realSuToNobodyWithoutPassword() throws IOException {
        Become su = new Become(true, "nobody", Become.Method.SU, "-s /bin/sh", null, null, Duration.ofSeconds(5));
        try (Connection c = new BecomeConnection(new LocalConnection("localhost"), su)) {
            assertThat(c.exec("id -un", ExecOptions.NONE).stdoutText()).isEqualTo("nobody\n");
        }
    }

    @Test
    void agentlessWritesAndReadsUnderBecomeRunAsTheTargetUser() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path target = dir.resolve("pg_hba.conf");
        try (Connection c = new BecomeConnection(ssh, Become.sudo("nobody"))) {
            dev.drover.host.ShellHostOps ops = new dev.drover.host.ShellHostOps(c);
            ops.writeFile(target.toString(), "local all all peer\n".getBytes(StandardCharsets.UTF_8), new dev.drover.host.FileAttrs(0600, null, null));
            assertThat(Files.getOwner(target).getName()).isEqualTo("nobody");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
            assertThat(new String(ops.readFile(target.toString()), StandardCharsets.UTF_8)).isEqualTo("local all all peer\n");
            assertThatThrownBy(() -> ops.readFile(dir.resolve("missing").toString()))
                    .isInstanceOf(IOException.class).hasMessageContaining("missing").hasMessageContaining("No such file");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void sudoPasswordIsAnsweredAndStdinReachesTheCommandIntact() throws IOException {
        try (Connection c = new BecomeConnection(ssh, fakeSudo())) {
            ExecResult r = c.exec("echo err >&2; cat; exit 5", ExecOptions.NONE.withStdin("line1\nline2".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.rc()).isEqualTo(5);
            assertThat(r.stdoutText()).isEqualTo("line1\nline2");
            assertThat(r.stderrText()).isEqualTo("err\n"); // prompt removed
            assertThat(r.stdoutText() + r.stderrText()).doesNotContain(BECOME_PW);
            // the password never travels in the command line
            assertThat(server.commands()).noneMatch(cmd -> cmd.contains(BECOME_PW));

            RemoteProcess p = c.start("read x; echo got $x >&2; echo ok");
            p.stdin().write("hi\n".getBytes(StandardCharsets.UTF_8));
            p.stdin().flush();
            assertThat(SshConnectionTest.readLine(p.stdout())).isEqualTo("ok");
            assertThat(SshConnectionTest.readLine(p.stderr())).isEqualTo("got hi");
            p.close();
        }
    }

    @Test
    void wrongSudoPasswordIsAClearErrorNotAHang() throws IOException {
        try (Connection c = new BecomeConnection(ssh, fakeSudo().withPassword("wrong-pw-123"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.exec("echo never", ExecOptions.NONE))
                    .isInstanceOf(BecomeException.class)
                    .hasMessageContaining("db1")
                    .hasMessageContaining("incorrect password")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-pw-123"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void passwordAskedButNotConfigured() throws IOException {
        try (Connection c = new BecomeConnection(ssh, fakeSudo().withPassword(null))) {
            assertThatThrownBy(() -> c.exec("true", ExecOptions.NONE))
                    .isInstanceOf(BecomeException.class)
                    .hasMessageContaining("sudo: a password is required")
                    .hasMessageContaining("set ansible_become_password");
        }
    }

    @Test
    void sudoRefusalIsReportedWithItsMessage() throws IOException {
        Path refusing = script("refusing-sudo", "#!/bin/sh\necho 'deploy is not in the sudoers file.' >&2\nexit 1\n");
        try (Connection c = new BecomeConnection(ssh, Become.sudo("postgres").withExe(refusing.toString()))) {
            assertThatThrownBy(() -> c.exec("true", ExecOptions.NONE))
                    .isInstanceOf(BecomeException.class)
                    .hasMessageContaining("sudo to postgres")
                    .hasMessageContaining("not in the sudoers file");
        }
    }

    @Test
    void silentBecomeTimesOut() throws Exception {
        String marker = "drover-silent-" + UUID.randomUUID();
        Path silent = script("silent-sudo", "#!/bin/sh\nexec sh -c 'while :; do sleep 0.2; done' " + marker + "\n");
        Become b = Become.sudo("postgres").withExe(silent.toString()).withPromptTimeout(Duration.ofSeconds(1));
        try (Connection c = new BecomeConnection(ssh, b)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.exec("true", ExecOptions.NONE))
                    .isInstanceOf(BecomeException.class)
                    .hasMessageContaining("no answer within 1s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        }
        SshConnectionTest.awaitNoProcess(marker);
    }

    @Test
    void timeoutUnderBecomeKillsTheCommand() throws Exception {
        String marker = "drover-become-timeout-" + UUID.randomUUID();
        try (Connection c = new BecomeConnection(ssh, fakeSudo())) {
            assertThatThrownBy(() -> c.exec("sh -c 'while :; do sleep 0.2; done' " + marker,
                    ExecOptions.NONE.withTimeout(Duration.ofSeconds(1))))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("timed out after 1s");
        }
        SshConnectionTest.awaitNoProcess(marker);
    }

    @Test
    void becomeOffPassesThrough() throws IOException {
        try (Connection c = new BecomeConnection(ssh, Become.NONE)) {
            assertThat(c.exec("echo plain", ExecOptions.NONE).stdoutText()).isEqualTo("plain\n");
        }
        assertThat(Become.NONE.wrap("true").command()).isEqualTo("true");
    }

    @Test
    void wrapShapes() {
        Become.Command nopw = Become.sudo("postgres").wrap("psql -c 'select 1'");
        assertThat(nopw.command()).startsWith("sudo -H -S -n -u postgres /bin/sh -c ");
        assertThat(nopw.prompt()).isNull();
        assertThat(nopw.stdinPrefix()).isNull();

        Become.Command pw = Become.sudo("postgres").withPassword("p@ss").wrap("true");
        assertThat(pw.command()).startsWith("sudo -H -S -p '[drover become ").doesNotContain(" -n ").contains(" -u postgres ");
        assertThat(pw.command()).doesNotContain("p@ss");
        assertThat(new String(pw.stdinPrefix(), StandardCharsets.UTF_8)).isEqualTo("p@ss\n");
        assertThat(pw.toString()).doesNotContain("p@ss");

        Become.Command su = new Become(true, "postgres", Become.Method.SU, null, "p@ss", null, null).wrap("true");
        assertThat(su.command()).startsWith("su postgres -c ");
        assertThat(su.needsTerminal()).isTrue();

        Become custom = Become.sudo("postgres").withMethod(Become.Method.SUDO, "-i").withPassword("x");
        assertThat(custom.wrap("true").command()).startsWith("sudo -i -S -p ");
    }

    @Test
    void fromVarsReadsAnsibleNamesAndHidesThePassword() {
        Become b = Become.fromVars("db1", Map.of("ansible_become", "yes", "ansible_become_user", "postgres",
                "ansible_become_method", "su", "ansible_become_pass", "sekrit-77", "ansible_become_flags", "-l"));
        assertThat(b.enabled()).isTrue();
        assertThat(b.user()).isEqualTo("postgres");
        assertThat(b.method()).isEqualTo(Become.Method.SU);
        assertThat(b.flags()).isEqualTo("-l");
        assertThat(b.password()).isEqualTo("sekrit-77");
        assertThat(b.toString()).doesNotContain("sekrit-77");
        Become d = Become.fromVars("db1", Map.of());
        assertThat(d.enabled()).isFalse();
        assertThat(d.user()).isEqualTo("root");
        assertThat(d.method()).isEqualTo(Become.Method.SUDO);
        assertThatThrownBy(() -> Become.fromVars("db1", Map.of("ansible_become_method", "doas")))
                .isInstanceOf(UserError.class).hasMessageContaining("doas");
    }

    @Test
    void suWithPasswordNeedsATerminal() {
        Become su = new Become(true, "postgres", Become.Method.SU, null, "pw", null, null);
        try (Connection c = new BecomeConnection(new LocalConnection("localhost"), su)) {
            assertThatThrownBy(() -> c.exec("true", ExecOptions.NONE))
                    .isInstanceOf(BecomeException.class).hasMessageContaining("use become_method: sudo");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
