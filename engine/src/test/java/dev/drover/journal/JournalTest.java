package dev.drover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run journal of a real run: complete, redacted, readable by {@code drover runs}. */
class JournalTest {
    static final Path DIR = Path.of("src/test/resources/exec/recovery").toAbsolutePath();

    record Result(int exit, String output) {}

    static Result drover(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, args);
        w.flush();
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /** Runs a playbook of the recovery test directory and returns the id of the run it journaled. */
    static String play(String playbook, String... extra) {
        Set<String> before = new HashSet<>(ids());
        List<String> args = new ArrayList<>(List.of("play", "-i", DIR.resolve("inventory.ini").toString(),
                DIR.resolve(playbook).toString()));
        args.addAll(List.of(extra));
        drover(args.toArray(String[]::new));
        List<String> after = new ArrayList<>(ids());
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.get(0);
    }

    static List<String> ids() {
        return RunRecord.list(RunsDir.root()).stream().map(RunRecord::id).toList();
    }

    @Test
    void aRunIsJournaledCompletelyAndWithoutSecrets(@TempDir Path tmp) throws IOException {
        String id = play("journal.yml", "-e", "db_password=hunter2-extra", "-e", "out=" + tmp);
        Path file = RunsDir.journal(id);
        String text = Files.readString(file);
        assertThat(text).doesNotContain("hunter2-extra").doesNotContain("s3cr3t-fact").doesNotContain("topsecret-output")
                .contains("visible-fact").contains("shown-output");
        RunRecord run = RunRecord.read(RunsDir.root(), id);
        assertThat(run.status()).isEqualTo("recovered");
        assertThat(run.header().get("extra_vars")).isEqualTo(Map.of("db_password", Redactor.HIDDEN, "out", tmp.toString()));
        assertThat(run.header().get("playbooks")).isEqualTo(List.of(DIR.resolve("journal.yml").toString()));
        assertThat(run.first("planned")).isNotNull();
        assertThat(run.failedHosts()).containsExactly("r1");
        assertThat(run.errors().get(0)).containsEntry("task", "break").containsEntry("msg", "broke");
        assertThat(run.markers()).isEqualTo(Map.of("point_of_no_return", List.of("m1")));
        assertThat(run.hostVars().get("m1")).containsEntry("plain", "visible-fact").containsEntry("api_password", Redactor.HIDDEN)
                .containsEntry("hidden", Redactor.HIDDEN);
        List<String> types = run.records().stream().map(r -> String.valueOf(r.get("type"))).distinct().toList();
        assertThat(types).contains("run", "planned", "play_started", "task_started", "result", "vars", "marker_passed",
                "error_recorded", "cluster_stopped", "recovery_started", "run_outcome", "end");
        assertThat(run.end()).containsEntry("exit_code", 6);
    }

    @Test
    void runsListsTheStatusAndShowTellsTheDetail(@TempDir Path tmp) {
        String id = play("stop_and_recover.yml", "-e", "out=" + tmp, "-e", "fail_recovery_on=a1");
        Result list = drover("runs");
        assertThat(list.output()).containsPattern(id + "\\s+\\S+\\s+manual\\s+stop_and_recover.yml\\s+r1");
        Result show = drover("runs", "show", id);
        assertThat(show.output()).contains("status:      manual").contains("error:       [r1] break the replica")
                .contains("end:         exit code 7");
        assertThat(drover("runs", "show", "no-such-run").exit()).isEqualTo(4);
    }

    @Test
    void aJournalWithoutEndRecordIsACrashAndATornLastLineIsIgnored() throws IOException {
        Path root = RunsDir.root();
        Path dir = root.resolve("20000101-000000-dead");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("journal.jsonl"), "{\"type\":\"run\",\"at\":\"x\",\"playbooks\":[\"/p/site.yml\"]}\n"
                + "{\"type\":\"error_recorded\",\"recovery\":false,\"error\":{\"host\":\"h9\"}}\n{\"type\":\"res");
        RunRecord r = RunRecord.read(root, "20000101-000000-dead");
        assertThat(r.records()).hasSize(2);
        assertThat(r.status()).isEqualTo("crashed");
        assertThat(r.failedHosts()).containsExactly("h9");
    }

    @Test
    void groupCommitMakesEveryRecordDurableWithFewerFsyncs(@TempDir Path tmp) throws Exception {
        Journal j = new Journal(tmp.resolve("j.jsonl"));
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            Thread w = new Thread(() -> {
                for (int i = 0; i < 100; i++) j.append(Map.of("type", "result", "writer", n, "i", i));
            });
            w.start();
            writers.add(w);
        }
        for (Thread t : writers) t.join();
        j.awaitDurable();
        assertThat(Files.readAllLines(tmp.resolve("j.jsonl"))).hasSize(800);
        assertThat(j.fsyncs()).isLessThan(800);
        j.close();
    }
}
