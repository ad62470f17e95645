package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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

    /**
     * A JVM that takes {@code SLOW} to start: a java that writes its pid, sleeps, then becomes the real JVM (exec
     * keeps the pid), as a host whose CPUs are busy. Closing must neither wait for it nor leave it running.
     */
    @Test
    void closingGivesUpAnAgentStillStartingAndLeavesNoAgentRunning() throws Exception {
        Duration slow = Duration.ofSeconds(8);
        try (AgentFixture fx = new AgentFixture()) {
            Path bin = Files.createDirectories(fx.dir.resolve("slowjdk/bin"));
            Path pidFile = fx.dir.resolve("java.pid");
            Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
            Files.writeString(bin.resolve("java"), "#!/bin/sh\necho $$ > " + ShellQuote.quote(pidFile.toString()) + "\n"
                    + "sleep " + slow.toSeconds() + "\nexec " + ShellQuote.quote(realJava.toString()) + " \"$@\"\n");
            Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
            UnaryOperator<String> slowJava = cmd -> "env JAVA_HOME=" + ShellQuote.quote(bin.getParent().toString())
                    + " /bin/sh -c " + ShellQuote.quote(cmd);
            AgentInstaller installer = fx.installer(fx.options());
            ExecutorService starts = Executors.newSingleThreadExecutor();
            try {
                AgentWhenReady ops = AgentWhenReady.start(new ShellHostOps(fx.conn), installer, fx.conn, slowJava, starts, Duration.ZERO);
                long pid = AgentFixture.waitForPidFile(pidFile, Duration.ofSeconds(30));
                assertThat(ops.mode()).isEqualTo("agentless");
                assertThat(ops.exec(ExecSpec.shell("echo meanwhile")).stdoutText()).isEqualTo("meanwhile\n");

                long t0 = System.nanoTime();
                ops.close();
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).as("close waits for no agent start").isLessThan(slow.dividedBy(4));

                assertThat(AgentFixture.waitUntilGone(pid, slow.plusSeconds(20))).as("the slow JVM exits").isTrue();
                ops.settled().get(30, TimeUnit.SECONDS);
                assertThat(ops.mode()).isEqualTo("agentless");
                assertThat(agentJvms(fx.dir)).as("no agent JVM of this test left").isEmpty();
            } finally {
                starts.shutdownNow();
            }
        }
    }

    /** Processes whose command line names a jar under {@code dir}. */
    private static List<Long> agentJvms(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString()) && c.contains("-jar")).orElse(false))
                .map(ProcessHandle::pid).toList();
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

    @Test
    void withABudgetTheAgentStartsOnlyOnceTheAgentlessRoundTripsHaveTakenThatLong() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<HostOps> agent = new CompletableFuture<>();
            AgentWhenReady ops = new AgentWhenReady(new ShellHostOps(fx.conn), () -> {
                starts.incrementAndGet();
                return new AgentWhenReady.Start(agent, () -> agent.complete(null));
            }, Duration.ofMillis(400));

            for (int i = 0; i < 3; i++) assertThat(ops.exec(ExecSpec.shell("true")).rc()).isZero();
            assertThat(ops.started()).as("three quick commands are not worth a JVM").isFalse();
            assertThat(starts).hasValue(0);

            ops.exec(ExecSpec.shell("sleep 0.5"));
            assertThat(ops.started()).as("0.5 s of agentless round trips pay for the start").isTrue();
            ops.exec(ExecSpec.shell("sleep 0.5"));
            assertThat(starts).as("started once").hasValue(1);
            assertThat(ops.mode()).isEqualTo("agentless");

            agent.complete(fx.start());
            assertThat(ops.mode()).isEqualTo("agent");
            ops.close();
            assertThat(ops.settled()).isDone();
        }
    }

    @Test
    void closedBeforeTheBudgetIsSpentTheAgentNeverStarts() throws Exception {
        try (AgentFixture fx = new AgentFixture()) {
            java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
            AgentWhenReady ops = new AgentWhenReady(new ShellHostOps(fx.conn), () -> {
                starts.incrementAndGet();
                return new AgentWhenReady.Start(new CompletableFuture<>(), () -> { });
            }, Duration.ofSeconds(30));
            assertThat(ops.exec(ExecSpec.shell("echo ok")).stdoutText()).isEqualTo("ok\n");
            ops.close();
            assertThat(ops.settled()).isDone();
            assertThat(starts).hasValue(0);
            ops.exec(ExecSpec.shell("true"));
            assertThat(starts).as("no start after close").hasValue(0);
        }
    }
}
