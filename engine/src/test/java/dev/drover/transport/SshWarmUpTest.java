package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SshWarmUpTest {

    @Test
    void doesOneRealHandshakeAndExecOverLoopbackAndWritesNoFiles() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = warmUpDirs(tmp);
        // run() throws when the handshake, the authentication with the written key or the exec fails
        SshWarmUp.run();
        assertThat(warmUpDirs(tmp)).isEqualTo(before);
    }

    @Test
    void aRunThatEndsAtOnceLeavesNothingInTheTempDir(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // a playbook that does not exist: the process exits while the warm-up has barely begun
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "dev.drover.cli.Main",
                "play", "-i", "localhost,", tmp.resolve("missing.yml").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(x -> x.getFileName().toString())).isEmpty();
        }
    }

    @Test
    void saysNothing() throws Exception {
        // the warm-up runs under every `drover play`: a warning from its throw-away server would reach the console
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try {
            SshWarmUp.run();
        } finally {
            root.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void theBackgroundThreadIsADaemonAndEnds() throws InterruptedException {
        Thread t = SshWarmUp.startInBackground();
        assertThat(t.isDaemon()).isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void onlyRunsThatWillConnectOverSshAreWarmedUp() {
        assertThat(SshWarmUp.worthIt(new String[] {"play", "-i", "hosts", "site.yml"})).isTrue();
        assertThat(SshWarmUp.worthIt(new String[] {"recover", "20261123T000000Z-1"})).isTrue();
        assertThat(SshWarmUp.worthIt(new String[] {"play", "-c", "local", "site.yml"})).isFalse();
        assertThat(SshWarmUp.worthIt(new String[] {"play", "--connection=local", "site.yml"})).isFalse();
        assertThat(SshWarmUp.worthIt(new String[] {"play", "--connection", "local", "site.yml"})).isFalse();
        assertThat(SshWarmUp.worthIt(new String[] {"vault", "view", "x.yml"})).isFalse();
        assertThat(SshWarmUp.worthIt(new String[] {"inventory", "--list"})).isFalse();
        assertThat(SshWarmUp.worthIt(new String[0])).isFalse();
    }

    private static long warmUpDirs(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("drover-ssh-warm-up")).count();
        }
    }
}
