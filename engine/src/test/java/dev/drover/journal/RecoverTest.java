package dev.drover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover recover} and signals: a controller killed with -9 or stopped with SIGTERM leaves a journal from
 * which the recovery section runs to completion. The controller is a real subprocess ({@code java -cp}).
 */
class RecoverTest {
    @TempDir
    Path out;
    /** The controller's console output. */
    Path log;

    @org.junit.jupiter.api.BeforeEach
    void logFile() throws IOException {
        log = Files.createTempFile("drover-controller", ".log");
    }

    @org.junit.jupiter.api.AfterEach
    void removeLog() throws IOException {
        Files.deleteIfExists(log);
    }

    @Test
    void recoverRunsTheRecoverySectionOfARunThatHadItOff() throws IOException {
        String id = JournalTest.play("stop_and_recover.yml", "-e", "out=" + out, "-e", "handle_update_errors=false");
        assertThat(files()).noneMatch(f -> f.contains("undo"));
        List<String> before = JournalTest.ids();
        JournalTest.Result r = JournalTest.drover("recover", id, "-e", "handle_update_errors=true");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        assertThat(r.output()).contains("\"msg\": \"errors ['r1'] ['failed']\"").doesNotContain("PLAY [update]");
        assertThat(files()).contains("a1.undo", "m1.undo", "r1.undo", "m1.undo2").doesNotContain("a1.step2");
        List<String> after = new ArrayList<>(JournalTest.ids());
        after.removeAll(before);
        RunRecord rec = RunRecord.read(RunsDir.root(), after.get(0));
        assertThat(rec.header()).containsEntry("recovers", id);
        assertThat(rec.status()).isEqualTo("recovered");
    }

    @Test
    void recoverRefusesARunThatSucceeded() {
        String id = JournalTest.play("stop_and_recover.yml", "-e", "out=" + out, "-e", "fail_on=nobody");
        JournalTest.Result r = JournalTest.drover("recover", id);
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.output()).contains("nothing to recover");
    }

    @Test
    void sigtermLetsTheTaskInFlightFinishClosesTheJournalAndExits99ThenRecoverCompletes() throws Exception {
        Set<String> before = new HashSet<>(JournalTest.ids());
        Process p = controller("sleep.yml", "nap=3");
        awaitFiles(List.of("a1.started", "m1.started", "r1.started"));
        Thread.sleep(700); // the sleep task is in flight on every host
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(99);
        assertThat(output).contains("SIGTERM: no new task starts").contains("RUN OUTCOME: 99 INTERRUPTED").contains("PLAY RECAP");
        // the task in flight finished everywhere; nothing after it started; recovery did not run
        assertThat(files()).contains("a1.slept", "m1.slept", "r1.slept").noneMatch(f -> f.endsWith(".after") || f.contains("undo"));
        String id = newRun(before);
        RunRecord run = RunRecord.read(RunsDir.root(), id);
        assertThat(run.status()).isEqualTo("interrupted");
        JournalTest.Result r = JournalTest.drover("recover", id);
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        assertThat(files()).contains("a1.undo", "m1.undo", "r1.undo");
    }

    @Test
    void killMinus9MidTaskThenRecoverCompletesTheRecovery() throws Exception {
        Set<String> before = new HashSet<>(JournalTest.ids());
        Process p = controller("sleep.yml", "nap=30");
        awaitFiles(List.of("a1.started", "m1.started", "r1.started"));
        Thread.sleep(700);
        p.destroyForcibly(); // SIGKILL: no handler runs, the journal just stops
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String id = newRun(before);
        RunRecord run = RunRecord.read(RunsDir.root(), id);
        assertThat(run.status()).isEqualTo("crashed");
        assertThat(run.all("task_started").get(run.all("task_started").size() - 1)).containsEntry("name", "sleep");
        JournalTest.Result r = JournalTest.drover("recover", id, "-e", "nap=0");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        // every host was mid-task when the controller died: each is in the aggregate as interrupted
        assertThat(files()).contains("a1.undo-interrupted", "m1.undo-interrupted", "r1.undo-interrupted");
        assertThat(r.output()).contains("the controller died during this task");
    }

    private Process controller(String playbook, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.drover.cli.Main", "play",
                "-i", JournalTest.DIR.resolve("inventory.ini").toString(), JournalTest.DIR.resolve(playbook).toString(),
                "-e", "out=" + out));
        for (String e : extra) cmd.addAll(List.of("-e", e));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DROVER_RUNS_DIR", RunsDir.root().toString());
        return pb.start();
    }

    private void awaitFiles(List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!files().containsAll(names)) {
            if (System.nanoTime() > deadline) throw new AssertionError("never appeared: " + names + ", found " + files());
            Thread.sleep(100);
        }
    }

    private static String newRun(Set<String> before) {
        List<String> after = new ArrayList<>(JournalTest.ids());
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.get(0);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
