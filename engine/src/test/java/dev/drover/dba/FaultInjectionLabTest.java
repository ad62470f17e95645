package dev.drover.dba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.journal.RunRecord;
import dev.drover.journal.RunsDir;
import dev.drover.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failures injected from outside in the middle of an update on real PostgreSQL (labhost1 master, labhost2
 * replica, labhost3 arbiter): the master's host killed (a power cut) and a full disk. Each ends in recovery:
 * the original version on both nodes, the replica streaming, the 100k-row table's checksum unchanged.
 *
 * <p>A killed master cannot be recovered by the run that lost it: the run ends with the master unreachable and
 * recovery failed on it (exit 7). The test then does what a DBA does: brings the host back (the lab's
 * {@code lab.sh up}, a reboot keeping its files) and runs {@code drover recover <run-id>}, which re-runs the
 * recovery section with the facts the journal recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionLabTest {
    static PgMinorCluster pg;
    static String checksum;
    static final String VERSION = "SELECT split_part(current_setting('server_version'), ' ', 1)";

    @BeforeAll
    static void cluster() {
        pg = PgMinorCluster.start("pgfault", false);
    }

    @AfterAll
    static void down() {
        if (pg != null) pg.close();
    }

    /** A healthy 15.18 cluster with the table: the one the previous recovery left, or a new install. */
    static void at1518() {
        if (checksum != null && "15.18".equals(pg.query("labhost1", VERSION).out())
                && "15.18".equals(pg.query("labhost2", VERSION).out()) && "t streaming".equals(pg.role("labhost2"))) {
            return;
        }
        checksum = pg.installFresh();
    }

    @Test
    @Order(1)
    void minorUpdateWithTheMastersHostKilledWhileItIsSwitchedEndsInRecoveryByDroverRecover() throws Exception {
        at1518();
        Set<String> before = runIds();
        long t0 = System.currentTimeMillis();
        CompletableFuture<Drover> running = CompletableFuture.supplyAsync(() -> pg.minorUpdate());
        // The replica is updated first; then the master's server stops for its switch: the power cut comes then.
        await(running, () -> "15.20".equals(pg.query("labhost2", VERSION).out()), "the replica runs 15.20");
        await(running, () -> !pg.query("labhost1", "SELECT 1").ok(), "the master's server stopped for the switch");
        pg.lab.kill("labhost1");
        Drover run = running.get(3, TimeUnit.MINUTES);
        String out = run.out() + run.err();
        keep("minor-kill", out);
        long failedAfter = System.currentTimeMillis() - t0;
        assertThat(run.exit()).as(out).isEqualTo(7);
        assertThat(out).contains("RUN OUTCOME: 7 MANUAL_INTERVENTION").contains("UNREACHABLE");
        RunRecord lost = newRun(before);
        assertThat(lost.errors().get(0)).containsEntry("host", "labhost1");

        // The DBA brings the host back (a reboot: files kept, nothing running) and runs the recovery again.
        pg.lab.bringBack();
        long t1 = System.currentTimeMillis();
        Drover recover = Drover.run("recover", lost.id());
        String rout = recover.out() + recover.err();
        keep("minor-kill-recover", rout);
        assertThat(recover.exit()).as(rout).isEqualTo(6);
        assertThat(rout).contains("RUN OUTCOME: 6 RECOVERED");
        System.out.printf("minor update, master's host killed: the run ended after %.1f s; drover recover took %.1f s%n",
                failedAfter / 1000.0, (System.currentTimeMillis() - t1) / 1000.0);
        pg.assertOriginal("15.18", checksum);
    }

    @Test
    @Order(2)
    void minorUpdateWithAFullDiskOnTheMasterEndsInRecovery() {
        at1518();
        // The master's homes directory is a tmpfs with room for the package but not for the unpacked home: the
        // disk fills in the middle of the master's update, after the replica already runs 15.20.
        // (An earlier flow may have left the 15.20 home there: recovery keeps it. The update must unpack it again.)
        pg.lab.exec("labhost1", "set -e; rm -rf /opt/pg/15.20; cp -a /opt/pg /root/pg-homes; used=$(du -sm /opt/pg | cut -f1); "
                + "mount -t tmpfs -o size=$((used + 30))m tmpfs /opt/pg; cp -a /root/pg-homes/. /opt/pg/; rm -rf /root/pg-homes").orThrow();
        try {
            long t0 = System.currentTimeMillis();
            Drover run = pg.minorUpdate();
            String out = run.out() + run.err();
            keep("full-disk", out);
            assertThat(run.exit()).as(out).isEqualTo(6);
            assertThat(out).contains("No space left on device").contains("RUN OUTCOME: 6 RECOVERED")
                    .containsPattern("first failure: \\[labhost1\\] .*unpack");
            System.out.printf("minor update, full disk on the master: failed and recovered in %.1f s%n",
                    (System.currentTimeMillis() - t0) / 1000.0);
            pg.assertOriginal("15.18", checksum);
        } finally {
            // The disk is freed: the tmpfs goes, the homes directory under it is what the update found.
            pg.lab.exec("labhost1", "umount -l /opt/pg").orThrow();
        }
        assertThat(pg.lab.exec("labhost1", "readlink /opt/pg/current").orThrow().stdout().trim()).isEqualTo("15.18");
    }

    @Test
    @Order(3)
    void majorUpdateWithTheMastersHostKilledBeforeThePointOfNoReturnEndsInRecoveryByDroverRecover() throws Exception {
        String sum = pg.installFresh("-e", "pg_version=13.23");
        checksum = null; // the next test needs a new 15.18 install
        assertThat(pg.version("labhost1")).isEqualTo("13.23");
        Set<String> before = runIds();
        long t0 = System.currentTimeMillis();
        CompletableFuture<Drover> running = CompletableFuture.supplyAsync(() -> Drover.run("play", "-i",
                pg.pgLab.inventory().toString(), Lab.repoRoot().resolve("playbooks/playbook_major_update.yaml").toString(),
                "-e", "pg_version=13.23", "-e", "pg_target_version=15.20"));
        // The power cut comes while pg_upgrade --link runs on the master (downtime, before the new cluster's first
        // start): the old cluster is stopped, the new one half made, global/pg_control perhaps renamed already.
        await(running, () -> pg.lab.exec("labhost1", "pgrep -a -x pg_upgrade | grep -qv -- --check").ok(),
                "pg_upgrade --link (not its --check) runs on the master");
        pg.lab.kill("labhost1");
        Drover run = running.get(3, TimeUnit.MINUTES);
        String out = run.out() + run.err();
        keep("major-kill", out);
        long failedAfter = System.currentTimeMillis() - t0;
        assertThat(run.exit()).as(out).isEqualTo(7);
        assertThat(out).contains("UNREACHABLE").contains("TASK [pg_dbms : Major | pg_upgrade --link]")
                .doesNotContain("Upgrade Complete").doesNotContain("MARKER [point_of_no_return]");
        RunRecord lost = newRun(before);
        assertThat(lost.errors().get(0)).containsEntry("host", "labhost1");
        assertThat(lost.markers()).doesNotContainKey("point_of_no_return");

        pg.lab.bringBack();
        long t1 = System.currentTimeMillis();
        Drover recover = Drover.run("recover", lost.id());
        String rout = recover.out() + recover.err();
        keep("major-kill-recover", rout);
        assertThat(recover.exit()).as(rout).isEqualTo(6);
        assertThat(rout).contains("RECOVERED: labhost1 runs PostgreSQL 13.23 again")
                .contains("RECOVERED: labhost2 runs PostgreSQL 13.23 again");
        System.out.printf("major update, master's host killed before the point of no return: the run ended after %.1f s; "
                + "drover recover took %.1f s%n", failedAfter / 1000.0, (System.currentTimeMillis() - t1) / 1000.0);
        pg.assertOriginal("13.23", sum);
    }

    /** The run's console output in engine/target/faults-NAME.log, to read when an assertion fails. */
    static void keep(String name, String output) {
        try {
            Files.writeString(Path.of("target/faults-" + name + ".log"), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(CompletableFuture<Drover> running, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (running.isDone()) {
                Drover r = running.join();
                throw new AssertionError("the run ended (exit " + r.exit() + ") before " + what + "\n" + r.out() + r.err());
            }
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(end);
            PgMinorCluster.sleep(100);
        }
    }

    static Set<String> runIds() {
        Set<String> out = new HashSet<>();
        for (RunRecord r : RunRecord.list(RunsDir.root())) out.add(r.id());
        return out;
    }

    static RunRecord newRun(Set<String> before) {
        List<String> after = new ArrayList<>(runIds());
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return RunRecord.read(RunsDir.root(), after.get(0));
    }
}
