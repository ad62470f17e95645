package dev.drover.host;

import dev.drover.transport.CommandTimeoutException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every request type, end to end through the real agent jar over LocalConnection. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentHostOpsTest {
    private AgentFixture fx;
    private AgentHostOps ops;
    private Path work;

    @BeforeAll
    void startAgent() throws IOException {
        fx = new AgentFixture();
        ops = fx.start();
        work = Files.createDirectories(fx.dir.resolve("work"));
    }

    @AfterAll
    void stopAgent() throws IOException {
        ops.close();
        fx.close();
    }

    @Test
    void handshakeReportsTheAgent() {
        assertThat(ops.mode()).isEqualTo("agent");
        assertThat(ops.info().protocol()).isEqualTo(1);
        assertThat(ops.info().pid()).isPositive();
        assertThat(ops.info().user()).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void execArgvShellEnvChdirStdin() throws IOException {
        ExecResult r = ops.exec(ExecSpec.argv(List.of("printf", "%s|", "a b", "$HOME", "'q'")));
        assertThat(r.rc()).isZero();
        assertThat(r.stdoutText()).isEqualTo("a b|$HOME|'q'|");

        r = ops.exec(ExecSpec.shell("echo out; echo err >&2; exit 7"));
        assertThat(r.rc()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");

        r = ops.exec(ExecSpec.shell("echo \"$GREETING\"; pwd; cat").withEnv(Map.of("GREETING", "hello there"))
                .withChdir(work.toString()).withStdin("from stdin".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.stdoutText()).isEqualTo("hello there\n" + work.toRealPath() + "\nfrom stdin");

        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        r = ops.exec(ExecSpec.shell("cat").withStdin(big));
        assertThat(r.stdout()).isEqualTo(big);
    }

    /** As sh reports them, so modules see the same as with the agentless ShellHostOps. */
    @Test
    void execOfMissingProgramOrDirectoryFailsLikeTheShell() throws Exception {
        ExecResult r = ops.exec(ExecSpec.argv(List.of("/no/such/program", "x")));
        assertThat(r.rc()).isEqualTo(127);
        assertThat(r.stderrText()).isEqualTo("/no/such/program: No such file or directory\n");
        Path notExecutable = work.resolve("not-executable");
        Files.writeString(notExecutable, "#!/bin/sh\n");
        r = ops.exec(ExecSpec.argv(List.of(notExecutable.toString())));
        assertThat(r.rc()).isEqualTo(126);
        assertThat(r.stderrText()).contains("Permission denied");
        r = ops.exec(ExecSpec.shell("true").withChdir("/no/such/dir"));
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.stderrText()).isEqualTo("chdir: /no/such/dir: No such file or directory\n");
        assertThat(ops.exec(ExecSpec.shell("no-such-cmd-xyz")).rc()).isEqualTo(127);
    }

    @Test
    void execTimeoutKillsTheCommandAndItsChildren() throws Exception {
        Path pidFile = work.resolve("timeout.pid");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ops.exec(ExecSpec.shell("sleep 300 & echo $! > " + pidFile + "; wait")
                .withTimeout(Duration.ofMillis(700))))
                .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("timed out after 700ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long sleeper = AgentFixture.waitForPidFile(pidFile, Duration.ofSeconds(2));
        assertThat(AgentFixture.waitUntilGone(sleeper, Duration.ofSeconds(3))).as("sleep %d killed", sleeper).isTrue();
    }

    @Test
    void execReturnsWhenABackgroundChildKeepsThePipeOpen() throws Exception {
        Path pidFile = work.resolve("daemon.pid");
        long start = System.nanoTime();
        ExecResult r = ops.exec(ExecSpec.shell("sleep 60 & echo $! > " + pidFile + "; echo started"));
        assertThat(r.stdoutText()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        ProcessHandle.of(AgentFixture.waitForPidFile(pidFile, Duration.ofSeconds(1))).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void interruptingTheCallerCancelsOnTheHost() throws Exception {
        Path pidFile = work.resolve("cancel.pid");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                ops.exec(ExecSpec.shell("sleep 300 & echo $! > " + pidFile + "; wait"));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        caller.start();
        long sleeper = AgentFixture.waitForPidFile(pidFile, Duration.ofSeconds(10));
        assertThat(AgentFixture.running(sleeper)).isTrue();
        caller.interrupt();
        caller.join(5000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("cancelled on the host");
        assertThat(AgentFixture.waitUntilGone(sleeper, Duration.ofSeconds(3))).as("sleep %d killed", sleeper).isTrue();
        assertThat(ops.exec(ExecSpec.shell("echo still here")).stdoutText()).isEqualTo("still here\n");
    }

    @Test
    void hundredConcurrentExecsRunInParallelAndGetTheirOwnAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<ExecResult>> results = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                String n = String.valueOf(i);
                results.add(pool.submit(() -> ops.exec(ExecSpec.shell("sleep 0.5; echo $N").withEnv(Map.of("N", n)))));
            }
            for (int i = 0; i < 100; i++) assertThat(results.get(i).get().stdoutText()).isEqualTo(i + "\n");
            // Serialised they would take 50 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statFileDirectoryLinkAndMissing() throws Exception {
        Path f = work.resolve("stat.txt");
        Files.writeString(f, "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        FileStat s = ops.stat(f.toString(), true, false);
        assertThat(s.exists()).isTrue();
        assertThat(s.isFile()).isTrue();
        assertThat(s.size()).isEqualTo(6);
        assertThat(s.mode()).isEqualTo(0640);
        assertThat(s.owner()).isEqualTo(Files.getOwner(f).getName());
        assertThat(s.mtimeEpochSeconds()).isEqualTo(Files.getLastModifiedTime(f).toMillis() / 1000);
        assertThat(s.checksum()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest("hello\n".getBytes())));
        assertThat(ops.stat(f.toString(), false, false).checksum()).isNull();

        assertThat(ops.stat(work.toString(), true, false).isDirectory()).isTrue();

        Path link = work.resolve("stat.link");
        Files.createSymbolicLink(link, f);
        FileStat l = ops.stat(link.toString(), false, false);
        assertThat(l.isLink()).isTrue();
        assertThat(l.linkTarget()).isEqualTo(f.toString());
        FileStat followed = ops.stat(link.toString(), true, true);
        assertThat(followed.isFile()).isTrue();
        assertThat(followed.size()).isEqualTo(6);
        assertThat(followed.checksum()).isEqualTo(s.checksum());

        assertThat(ops.stat(work.resolve("missing").toString(), true, true).exists()).isFalse();
        Path dangling = work.resolve("dangling");
        Files.createSymbolicLink(dangling, work.resolve("nowhere"));
        assertThat(ops.stat(dangling.toString(), false, true).exists()).isFalse();
        assertThat(ops.stat(dangling.toString(), false, false).isLink()).isTrue();
    }

    @Test
    void writeIsAtomicAppliesModeAndLeavesNoTempFile() throws Exception {
        Path dir = Files.createDirectories(work.resolve("write"));
        Path f = dir.resolve("pg_hba.conf");
        ops.writeFile(f.toString(), "one\n".getBytes(), new FileAttrs(0600, null, null));
        assertThat(Files.readString(f)).isEqualTo("one\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");

        // Overwriting keeps the existing mode when none is given, as Ansible does.
        ops.writeFile(f.toString(), "two\n".getBytes(), FileAttrs.NONE);
        assertThat(Files.readString(f)).isEqualTo("two\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");

        ops.writeFile(dir.resolve("empty").toString(), new byte[0], new FileAttrs(0644, Files.getOwner(f).getName(), null));
        assertThat(Files.size(dir.resolve("empty"))).isZero();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("pg_hba.conf", "empty");
        }

        assertThatThrownBy(() -> ops.writeFile(dir.resolve("x").toString(), new byte[1], new FileAttrs(null, "no-such-user-xyz", null)))
                .isInstanceOf(IOException.class).hasMessageContaining("no such user 'no-such-user-xyz'");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temp file after a failed write")
                    .containsExactlyInAnyOrder("pg_hba.conf", "empty");
        }
        assertThatThrownBy(() -> ops.writeFile(work.resolve("no/dir/f").toString(), new byte[1], FileAttrs.NONE))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("does not exist");
    }

    @Test
    void readReturnsBytesAndExplainsAMissingFile() throws Exception {
        Path f = work.resolve("read.bin");
        byte[] data = new byte[100_000];
        new java.util.Random(2).nextBytes(data);
        Files.write(f, data);
        assertThat(ops.readFile(f.toString())).isEqualTo(data);
        assertThatThrownBy(() -> ops.readFile(work.resolve("nope").toString()))
                .isInstanceOf(NoSuchFileException.class).hasMessage("cannot read " + work.resolve("nope") + ": no such file or directory");
        assertThatThrownBy(() -> ops.readFile("relative/path")).isInstanceOf(IOException.class).hasMessageContaining("absolute");
    }

    @Test
    void mkdirsAndSetAttrs() throws Exception {
        Path d = work.resolve("a/b/c");
        ops.mkdirs(d.toString(), new FileAttrs(0750, null, null));
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxr-x---");
        ops.mkdirs(d.toString(), FileAttrs.NONE);

        assertThat(ops.setAttrs(d.toString(), new FileAttrs(0700, null, null))).isTrue();
        assertThat(ops.setAttrs(d.toString(), new FileAttrs(0700, null, null))).isFalse();
        assertThat(ops.setAttrs(d.toString(), new FileAttrs(02750, null, Files.readAttributes(d,
                java.nio.file.attribute.PosixFileAttributes.class).group().getName()))).isTrue();
        assertThat(ops.stat(d.toString(), false, false).mode()).isEqualTo(02750);

        Path file = work.resolve("a/file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> ops.mkdirs(file.toString(), FileAttrs.NONE)).isInstanceOf(IOException.class)
                .hasMessageContaining("a file is in the way");
        assertThatThrownBy(() -> ops.setAttrs(work.resolve("gone").toString(), new FileAttrs(0600, null, null)))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void symlinkCreatesReplacesAndRefusesToClobberFiles() throws Exception {
        Path link = work.resolve("current");
        ops.symlink("/usr/lib/postgresql/15", link.toString());
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("/usr/lib/postgresql/15");
        ops.symlink("/usr/lib/postgresql/16", link.toString());
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("/usr/lib/postgresql/16");
        ops.symlink("/usr/lib/postgresql/16", link.toString());
        Path file = work.resolve("plain");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> ops.symlink("/x", file.toString())).isInstanceOf(IOException.class).hasMessageContaining("a file is already there");
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    @Test
    void removeFilesTreesAndLinksWithoutFollowing() throws Exception {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree.resolve("x/y"));
        Files.writeString(tree.resolve("x/y/f"), "1");
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "2");
        Files.createSymbolicLink(tree.resolve("x/link-out"), outside);

        assertThatThrownBy(() -> ops.remove(tree.toString(), false)).isInstanceOf(IOException.class).hasMessageContaining("not empty");
        assertThat(ops.remove(tree.toString(), true)).isTrue();
        assertThat(Files.exists(tree)).isFalse();
        assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("2");
        assertThat(ops.remove(tree.toString(), true)).isFalse();
        Path f = work.resolve("single");
        Files.writeString(f, "");
        assertThat(ops.remove(f.toString(), false)).isTrue();
    }

    @Test
    void factsDescribeThisMachine() throws Exception {
        Map<String, Object> f = ops.facts();
        assertThat(f).containsKeys("hostname", "fqdn", "default_ipv4", "distribution", "distribution_version", "os_family",
                "kernel", "architecture", "processor_vcpus", "memtotal_mb", "mounts", "date_time", "env");
        assertThat(f.get("hostname")).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().split("\\.")[0]);
        assertThat(f.get("kernel")).isEqualTo(System.getProperty("os.version"));
        assertThat((Integer) f.get("processor_vcpus")).isPositive();
        assertThat(f.get("processor_nproc")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(f.get("user_uid")).isInstanceOf(Integer.class);
        assertThat((Long) f.get("memtotal_mb")).isPositive();
        String osRelease = Files.readString(Path.of("/etc/os-release"));
        if (osRelease.contains("ID=debian")) {
            assertThat(f).containsEntry("distribution", "Debian").containsEntry("os_family", "Debian");
            assertThat(f.get("distribution_version").toString()).startsWith(f.get("distribution_major_version") + ".");
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) f.get("mounts");
        assertThat(mounts).anySatisfy(m -> {
            assertThat(m.get("mount")).isEqualTo("/");
            assertThat((Long) m.get("size_total")).isPositive();
            assertThat((Long) m.get("size_available")).isNotNegative();
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> dt = (Map<String, Object>) f.get("date_time");
        assertThat(Long.parseLong(dt.get("epoch").toString())).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) f.get("env");
        assertThat(env).containsKey("PATH");
    }

    @Test
    void waitForPortPathAndRegex() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            WaitForResult r = ops.waitFor(WaitForSpec.portOpen("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5)));
            assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(2));
            int port = server.getLocalPort();
            server.close();
            ops.waitFor(WaitForSpec.portClosed("127.0.0.1", port, Duration.ofSeconds(5)));
            assertThatThrownBy(() -> ops.waitFor(WaitForSpec.portOpen("127.0.0.1", port, Duration.ofMillis(500)).withSleep(Duration.ofMillis(100))))
                    .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("port " + port + " on 127.0.0.1 to be open");
        }
        Path flag = work.resolve("ready.flag");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.writeString(flag, "database system is ready to accept connections\n");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        later.start();
        WaitForResult r = ops.waitFor(WaitForSpec.pathPresent(flag.toString(), Duration.ofSeconds(5)).withSleep(Duration.ofMillis(50)));
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        later.join();
        r = ops.waitFor(WaitForSpec.regexInFile(flag.toString(), "ready to \\w+", Duration.ofSeconds(2)));
        assertThat(r.match()).isEqualTo("ready to accept");
        assertThatThrownBy(() -> ops.waitFor(WaitForSpec.pathAbsent(flag.toString(), Duration.ofMillis(300)).withSleep(Duration.ofMillis(50))))
                .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("to be absent");
    }

    @Test
    void expectAnswersPromptsInTurn() throws Exception {
        String script = "printf 'Password: '; read a; printf 'Password: '; read b; printf 'Confirm [y/n]? '; read c; echo \"got $a/$b/$c\"";
        ExpectResult r = ops.expect(new ExpectSpec(script, List.of(
                new ExpectSpec.Response("Password: ", List.of("first", "second")),
                new ExpectSpec.Response("\\[y/n\\]\\?", List.of("y"))), null, null, Duration.ofSeconds(10), false, false));
        assertThat(r.rc()).isZero();
        assertThat(r.outputText()).endsWith("got first/second/y\n");

        assertThatThrownBy(() -> ops.expect(new ExpectSpec("printf 'Name: '; read n; printf 'Never answered: '; sleep 30",
                List.of(new ExpectSpec.Response("Name: ", List.of("pg"))), null, null, Duration.ofMillis(500), false, false)))
                .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("Never answered");

        assertThatThrownBy(() -> ops.expect(new ExpectSpec("printf 'Q: '; read a; printf 'Q: '; read b; printf 'Q: '; read c",
                List.of(new ExpectSpec.Response("Q: ", List.of("1", "2"))), null, null, Duration.ofSeconds(5), false, false)))
                .isInstanceOf(IOException.class).hasMessageContaining("no remaining responses for 'Q: '");
    }

    @Test
    void expectWithAPtyReachesProgramsThatNeedATerminal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is installed");
        String script = "tty >/dev/null || { echo no terminal; exit 9; }; printf 'Secret: '; stty -echo; read s; stty echo; echo; echo \"got $s\"";
        ExpectResult r = ops.expect(ExpectSpec.of(script, List.of(new ExpectSpec.Response("Secret: ", List.of("hunter2"))),
                Duration.ofSeconds(10)).withPty(true));
        assertThat(r.rc()).isZero();
        assertThat(r.outputText()).contains("got hunter2\r\n").doesNotContain("no terminal");
        ExpectResult piped = ops.expect(ExpectSpec.of(script, List.of(), Duration.ofSeconds(10)));
        assertThat(piped.rc()).isEqualTo(9);
        assertThat(piped.outputText()).isEqualTo("no terminal\n");
    }
}
