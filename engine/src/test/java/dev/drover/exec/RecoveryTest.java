package dev.drover.exec;

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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery section: the first failure stops every host at the next task boundary, recovery plays then run
 * on every host of their pattern (failed ones included) in written order, and the exit code says whether recovery
 * succeeded (6) or a person must look (7). Hosts use the local connection; tasks touch marker files.
 */
class RecoveryTest {
    static final Path DIR = Path.of("src/test/resources/exec/recovery").toAbsolutePath();

    @TempDir
    Path out;

    record Result(int exit, String output) {}

    Result drover(String playbook, String... extra) {
        List<String> args = new ArrayList<>(List.of("play", "-i", DIR.resolve("inventory.ini").toString(),
                DIR.resolve(playbook).toString(), "-e", "out=" + out));
        args.addAll(List.of(extra));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, args.toArray(String[]::new));
        w.flush();
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void firstFailureStopsEveryHostThenRecoveryRunsEverywhere() throws IOException {
        Result r = drover("stop_and_recover.yml");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        // step1 ran everywhere; nothing after the failing task did, on any host; both recovery plays ran
        assertThat(files()).containsExactly("a1.step1", "a1.undo", "m1.step1", "m1.undo", "m1.undo2", "r1.step1", "r1.undo");
        assertThat(r.output())
                .contains("CLUSTER STOPPED: the first failure stops every host: [r1] break the replica (")
                .contains("\"msg\": \"errors ['r1'] ['failed']\"")
                .contains("RUN OUTCOME: 6 RECOVERED")
                .containsPattern("first failure: \\[r1\\] break the replica \\(\\S*stop_and_recover.yml:9:7\\): failed: replica broke")
                .doesNotContain("PLAY [later main play]")
                .containsPattern("run \\S+: drover runs show \\S+\n")
                .doesNotContain("drover recover");
        assertThat(r.output().indexOf("PLAY [undo]")).isLessThan(r.output().indexOf("PLAY [undo the master last]"));
    }

    @Test
    void aFailureInsideRecoveryIsReportedAfterTheOriginalOne() throws IOException {
        Result r = drover("stop_and_recover.yml", "-e", "fail_recovery_on=m1");
        assertThat(r.exit()).as(r.output()).isEqualTo(7);
        assertThat(r.output()).contains("RUN OUTCOME: 7 MANUAL_INTERVENTION")
                .containsPattern("first failure: \\[r1\\] break the replica .*replica broke")
                .containsPattern("recovery failed \\(1 error\\(s\\)\\), first: \\[m1\\] recovery may fail too .*undo broke")
                .containsPattern("drover recover \\S+ runs its recovery section");
        // m1 failed in the first recovery play, so the second one has nobody to run on
        assertThat(files()).doesNotContain("m1.undo2").contains("a1.undo", "r1.undo");
    }

    @Test
    void handleUpdateErrorsFalseTurnsRecoveryOff() throws IOException {
        Result r = drover("stop_and_recover.yml", "-e", "handle_update_errors=false");
        assertThat(r.exit()).as(r.output()).isEqualTo(7);
        assertThat(r.output()).contains("RECOVERY SKIPPED: handle_update_errors is false");
        assertThat(files()).containsExactly("a1.step1", "m1.step1", "r1.step1");
    }

    @Test
    void withoutFailureRecoveryDoesNotRun() throws IOException {
        Result r = drover("stop_and_recover.yml", "-e", "fail_on=nobody");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(files()).noneMatch(f -> f.contains("undo")).contains("a1.step3", "m1.step2");
        assertThat(r.output()).doesNotContain("RECOVERY").doesNotContain("RUN OUTCOME");
    }

    @Test
    void aFailureMidSerialStopsLaterBatchesAndRecoveryHonoursSerial() throws IOException {
        Result r = drover("serial_stop.yml");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        // the replica is the first batch; the master never started its update
        assertThat(files()).containsExactly("a1.rollback", "m1.rollback", "r1.rollback", "r1.update");
        long m = Long.parseLong(Files.readString(out.resolve("m1.rollback")).trim());
        long rep = Long.parseLong(Files.readString(out.resolve("r1.rollback")).trim());
        long a = Long.parseLong(Files.readString(out.resolve("a1.rollback")).trim());
        assertThat(m).isLessThan(rep); // written order of the pattern master:replica:arbiter, one at a time
        assertThat(rep).isLessThan(a);
    }

    @Test
    void seedStylePlaysAreRecognisedAsRecovery() throws IOException {
        Result r = drover("seed_style.yml");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        assertThat(files()).containsExactly("a1.recovery", "m1.recovery", "r1.recovery");
    }

    @Test
    void theRecoveryKeywordIsValidated() throws IOException {
        Path pb = out.resolve("bad.yml");
        Files.writeString(pb, "- hosts: all\n  recovery: maybe\n  tasks: []\n");
        Result r = drover(pb.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.output()).contains("bad.yml:2:13").contains("true, false or always");
        Files.writeString(pb, "- hosts: all\n  recovry: true\n  tasks: []\n");
        r = drover(pb.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.output()).contains("bad.yml:2:3").contains("did you mean 'recovery'");
    }

    @Test
    void codedOutcomesMapExitCodesAndPrintTheSeedLines() {
        Result r = drover("outcomes.yml", "-e", "a1_rc=5");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("INFO__The catalog-data update finished successfully.__INFO")
                .contains("INFO__Nothing to do (out)__INFO")
                .contains("\"msg\": \"ok 5 {'point_of_no_return': ['m1']}\"")
                .contains("\"msg\": \"ok 0 {'point_of_no_return': ['m1']}\"")
                .contains("MARKER [point_of_no_return]: [m1] catalog about to change")
                .doesNotContain("PLAY [automatic recovery]");
    }

    @Test
    void aRecoverableOutcomeFailsTheTaskAndRecoveryRuns() {
        Result r = drover("outcomes.yml", "-e", "r1_rc=4");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        assertThat(r.output())
                .contains("FAIL__A later step failed: problem on r1__FAIL")
                .contains("recovering ['recoverable'] ['A later step failed: problem on r1'] [4] markers {'point_of_no_return': ['m1']}")
                .contains("\"outcome\": {")
                .contains("PLAY [always]")
                .doesNotContain("show the outcome");
    }

    @Test
    void aFatalOutcomeKeepsAutomaticRecoveryOffExceptAlwaysPlays() {
        Result r = drover("outcomes.yml", "-e", "r1_rc=9");
        assertThat(r.exit()).as(r.output()).isEqualTo(7);
        assertThat(r.output())
                .contains("FAIL__unexpected exit code 9__FAIL")
                .doesNotContain("PLAY [automatic recovery]")
                .contains("PLAY [always]")
                .contains("\"msg\": \"diagnostics\"")
                .containsPattern("first failure: \\[r1\\] catalog update .*: fatal, rc=9: unexpected exit code 9");
    }

    @Test
    void aLoopsFailedItemGivesTheTaskItsCodedOutcome() {
        Result r = drover("outcomes_loop.yml");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        assertThat(r.output()).contains("recovering ['recoverable'] ['a later step failed (rc 4)'] [4]");
    }

    @Test
    void aFatalItemInALoopKeepsAutomaticRecoveryOff() {
        // before, the loop's aggregate entry said "failed", and automatic recovery ran after a fatal outcome
        Result r = drover("outcomes_loop.yml", "-e", "{\"codes\": [0, 9, 4]}");
        assertThat(r.exit()).as(r.output()).isEqualTo(7);
        assertThat(r.output()).doesNotContain("PLAY [automatic recovery]")
                .containsPattern("first failure: \\[r1\\] catalog update per database .*: fatal, rc=9: unexpected exit code 9");
    }

    @Test
    void theOutcomesKeywordIsValidated() throws IOException {
        Path pb = out.resolve("bad.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - command: 'true'\n      outcomes:\n        0: { status: fine }\n");
        Result r = drover(pb.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.output()).contains("bad.yml:5:9").contains("one of ok, recoverable, fatal");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - command: 'true'\n      outcome:\n        0: { status: ok }\n");
        r = drover(pb.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.output()).contains("did you mean 'outcomes'");
    }

    @Test
    void anUnreachableHostStopsTheClusterAndIsTriedAgainInRecovery() throws IOException {
        Path inv = out.resolve("unreachable.ini");
        Files.writeString(inv, "m1 ansible_connection=local drover_agent=false\n"
                + "down ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh ansible_user=nobody\n");
        Path pb = out.resolve("unreachable.yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: 'true'\n    - command: 'true'\n      name: later\n"
                + "- hosts: all\n  recovery: true\n  gather_facts: false\n  tasks:\n    - command: 'true'\n      name: undo\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, "play", "-i", inv.toString(), pb.toString());
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output).isEqualTo(7);
        assertThat(output.split("fatal: \\[down\\]: UNREACHABLE!", -1)).hasSize(3); // in the main section and again in recovery
        assertThat(output).doesNotContain("TASK [later]").contains("TASK [undo]")
                .containsPattern("first failure: \\[down\\] command .*: unreachable")
                .containsPattern("recovery failed \\(1 error\\(s\\)\\), first: \\[down\\] undo");
    }
}
