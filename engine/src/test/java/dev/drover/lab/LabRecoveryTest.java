package dev.drover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import dev.drover.journal.RunRecord;
import dev.drover.journal.RunsDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery section on the lab over real SSH: a standalone (one master) and a cluster (master, replica,
 * arbiter; the arbiter has no Java, so it runs agentless) inventory, with a failure injected in each phase.
 * Every task appends "phase nanoseconds" to /tmp/drover-recovery.log on its host (each lab host has its own
 * /tmp, one clock), so the tests see on which hosts each phase ran, and in which order.
 */
class LabRecoveryTest {
    static final Path PLAYBOOK = Path.of("src/test/resources/exec/recovery/lab_upgrade.yml").toAbsolutePath();
    static Lab lab;
    static Path cluster;
    static Path standalone;

    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws IOException {
        lab = Lab.shared(3, "labhost3");
        List<String> vars = new ArrayList<>();
        boolean inVars = false;
        for (String line : Files.readAllLines(lab.inventory())) {
            if (line.startsWith("[")) inVars = line.equals("[all:vars]");
            else if (inVars && !line.isBlank()) vars.add(line);
        }
        List<String> c = new ArrayList<>(List.of("[master]", "labhost1 ansible_host=" + lab.host(1).address() + " node_role=master",
                "[replica]", "labhost2 ansible_host=" + lab.host(2).address() + " node_role=replica",
                "[arbiter]", "labhost3 ansible_host=" + lab.host(3).address() + " node_role=arbiter", "[all:vars]"));
        c.addAll(vars);
        cluster = dir.resolve("cluster.ini");
        Files.write(cluster, c);
        List<String> s = new ArrayList<>(List.of("[master]", "labhost1 ansible_host=" + lab.host(1).address() + " node_role=master",
                "[all:vars]"));
        s.addAll(vars);
        standalone = dir.resolve("standalone.ini");
        Files.write(standalone, s);
    }

    @BeforeEach
    void clean() {
        for (Lab.Host h : lab.hosts()) lab.exec(h.name(), "rm -f /tmp/drover-recovery.log").orThrow();
    }

    record Run(int exit, String output, RunRecord journal) {}

    static Run play(Path inventory, String... extra) {
        Set<String> before = ids();
        List<String> args = new ArrayList<>(List.of("play", "-i", inventory.toString(), PLAYBOOK.toString()));
        for (String e : extra) args.addAll(List.of("-e", e));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, args.toArray(String[]::new));
        w.flush();
        return new Run(code, bytes.toString(StandardCharsets.UTF_8), newRun(before));
    }

    static Set<String> ids() {
        Set<String> out = new HashSet<>();
        for (RunRecord r : RunRecord.list(RunsDir.root())) out.add(r.id());
        return out;
    }

    static RunRecord newRun(Set<String> before) {
        List<String> after = new ArrayList<>(ids());
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return RunRecord.read(RunsDir.root(), after.get(0));
    }

    /** Per host: phase → time it ran (ns). */
    static Map<String, Map<String, Long>> log() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Lab.Host h : lab.hosts()) {
            Map<String, Long> phases = new LinkedHashMap<>();
            String text = lab.exec(h.name(), "cat /tmp/drover-recovery.log 2>/dev/null || true").orThrow().stdout();
            for (String line : text.split("\n")) {
                if (line.isBlank()) continue;
                String[] p = line.trim().split(" ");
                phases.put(p[0], Long.parseLong(p[1]));
            }
            out.put(h.name(), phases);
        }
        return out;
    }

    static void assertJournalComplete(Run r, int exit, String firstHost, String firstTask) {
        assertThat(r.journal().end()).as("end record").containsEntry("exit_code", exit);
        assertThat(r.journal().errors().get(0)).containsEntry("host", firstHost).containsEntry("task", firstTask);
        assertThat(r.journal().first("cluster_stopped")).isNotNull();
        assertThat(r.journal().all("result")).isNotEmpty();
    }

    @Test
    void clusterPreCheckFailsOnTheReplica() {
        Run r = play(cluster, "main_fail=precheck-replica");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        Map<String, Map<String, Long>> log = log();
        // every host ran the pre-check; none started the update; recovery ran everywhere, in written order
        for (String h : List.of("labhost1", "labhost2", "labhost3")) {
            assertThat(log.get(h)).containsKeys("precheck", "undo").doesNotContainKeys("stop", "update", "finish");
        }
        assertThat(log.get("labhost3")).doesNotContainKey("restart");
        assertThat(log.get("labhost1").get("undo")).isLessThan(log.get("labhost1").get("restart"));
        assertThat(log.get("labhost1").get("restart")).isLessThan(log.get("labhost2").get("restart")); // serial, master first
        assertThat(log.get("labhost2").get("undo")).isLessThan(log.get("labhost1").get("restart")); // play order
        assertThat(r.output()).containsPattern("first failure: \\[labhost2\\] pre-check \\(\\S+lab_upgrade.yml:\\d+:\\d+\\): failed, rc=1");
        assertJournalComplete(r, 6, "labhost2", "pre-check");
    }

    @Test
    void clusterUpdateFailsMidSerialOnTheReplica() {
        Run r = play(cluster, "main_fail=update-replica");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        Map<String, Map<String, Long>> log = log();
        assertThat(log.get("labhost2")).containsKeys("stop", "update").doesNotContainKeys("start", "finish");
        assertThat(log.get("labhost1")).doesNotContainKeys("stop", "update", "finish"); // the master's batch never started
        for (String h : List.of("labhost1", "labhost2", "labhost3")) assertThat(log.get(h)).containsKey("undo");
        assertThat(log.get("labhost1")).containsKey("restart");
        assertThat(log.get("labhost2")).containsKey("restart");
        assertThat(r.output()).contains("first failure: [labhost2] update");
        assertJournalComplete(r, 6, "labhost2", "update");
    }

    @Test
    void clusterUpdateFailsOnTheMaster() {
        Run r = play(cluster, "main_fail=update-master");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        Map<String, Map<String, Long>> log = log();
        assertThat(log.get("labhost2")).containsKeys("stop", "update", "start").doesNotContainKey("finish");
        assertThat(log.get("labhost1")).containsKeys("stop", "update").doesNotContainKeys("start", "finish");
        assertThat(log.get("labhost3")).containsKeys("precheck", "undo").doesNotContainKey("finish");
        assertThat(log.get("labhost2").get("update")).isLessThan(log.get("labhost1").get("stop"));
        assertThat(r.output()).contains("first failure: [labhost1] update");
        assertJournalComplete(r, 6, "labhost1", "update");
    }

    @Test
    void aFailureInsideRecoveryNeedsAPersonAndKeepsTheOriginalError() {
        Run r = play(cluster, "main_fail=update-master", "recovery_fail=undo-replica");
        assertThat(r.exit()).as(r.output()).isEqualTo(7);
        Map<String, Map<String, Long>> log = log();
        for (String h : List.of("labhost1", "labhost2", "labhost3")) assertThat(log.get(h)).containsKey("undo");
        // the replica failed in the first recovery play, so it is not restarted; the master is
        assertThat(log.get("labhost1")).containsKey("restart");
        assertThat(log.get("labhost2")).doesNotContainKey("restart");
        assertThat(r.output()).contains("RUN OUTCOME: 7 MANUAL_INTERVENTION").contains("first failure: [labhost1] update")
                .contains("first: [labhost2] undo");
        assertJournalComplete(r, 7, "labhost1", "update");
        assertThat(r.journal().all("error_recorded")).anyMatch(e -> Boolean.TRUE.equals(e.get("recovery")));
    }

    @Test
    void standaloneUpdateFailsOnTheMaster() {
        Run r = play(standalone, "main_fail=update-master");
        assertThat(r.exit()).as(r.output()).isEqualTo(6);
        Map<String, Map<String, Long>> log = log();
        assertThat(log.get("labhost1")).containsKeys("precheck", "stop", "update", "undo", "restart")
                .doesNotContainKeys("start", "finish");
        assertThat(log.get("labhost2")).isEmpty();
        assertJournalComplete(r, 6, "labhost1", "update");
    }

    @Test
    void standaloneWithoutFailureNeverRecovers() {
        Run r = play(standalone);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(log().get("labhost1")).containsKeys("precheck", "stop", "update", "start", "finish")
                .doesNotContainKeys("undo", "restart");
        assertThat(r.journal().status()).isEqualTo("ok");
    }

    @Test
    void killMinus9OfTheControllerThenRecoverCompletesTheRecovery() throws Exception {
        Set<String> before = ids();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.drover.cli.Main", "play", "-i", cluster.toString(),
                PLAYBOOK.toString(), "-e", "nap=60");
        Path out = Files.createTempFile(dir, "controller", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!log().get("labhost2").containsKey("start")) { // the replica sleeps in its "start" task
            assertThat(System.nanoTime()).as(Files.readString(out)).isLessThan(deadline);
            Thread.sleep(200);
        }
        Thread.sleep(500);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        RunRecord crashed = newRun(before);
        assertThat(crashed.status()).isEqualTo("crashed");
        lab.exec("labhost2", "pkill -f 'sleep 60' || true"); // the orphaned remote sleep
        Set<String> before2 = ids();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, "recover", crashed.id());
        w.flush();
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output).isEqualTo(6);
        assertThat(output).contains("first failure: [labhost2] start").contains("the controller died during this task");
        Map<String, Map<String, Long>> log = log();
        for (String h : List.of("labhost1", "labhost2", "labhost3")) assertThat(log.get(h)).containsKey("undo");
        assertThat(log.get("labhost1")).doesNotContainKeys("stop", "finish").containsKey("restart");
        assertThat(newRun(before2).header()).containsEntry("recovers", crashed.id());
    }
}
