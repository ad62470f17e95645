package dev.drover.dba;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code playbook_minor_update.yaml} 15.18 -> 15.20 on real PostgreSQL on the lab (labhost1 master, labhost2
 * replica, labhost3 arbiter), installed by {@code playbook_install.yaml}: the rolling path, the in-place
 * catalog-data path with the utility's exit codes 0, 1, 4 and 5, and a failure in the middle of the update.
 * A 100k-row table's checksum is compared before and after every flow. The flows run in an order that lets
 * a recovered cluster (back on 15.18) serve the next flow without a new install.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MinorUpdateLabTest {
    static PgMinorCluster pg;
    static String checksum;
    static boolean dirty = true;
    static final String VERSION = "SELECT split_part(current_setting('server_version'), ' ', 1)";

    @BeforeAll
    static void cluster() {
        pg = PgMinorCluster.start("pgminor", false);
    }

    @AfterAll
    static void down() {
        if (pg != null) pg.close();
    }

    /** A healthy 15.18 cluster with the table: the one left by the last recovery, or a new install. */
    static void at1518() {
        if (!dirty && "15.18".equals(pg.query("labhost1", VERSION).out()) && "15.18".equals(pg.query("labhost2", VERSION).out())
                && "t streaming".equals(pg.role("labhost2"))) {
            return;
        }
        checksum = pg.installFresh();
        dirty = false;
    }

    static void assertOriginal() {
        pg.assertOriginal("15.18", checksum);
    }

    @Test
    @Order(1)
    void aTaskFailingOnTheReplicaMidUpdateEndsInRecovery() {
        at1518();
        Drover run = pg.minorUpdate("-e", "pg_minor_inject_failure=after_start:labhost2");
        String out = run.out() + run.err();
        assertThat(run.exit()).as(out).isEqualTo(6);
        assertThat(out).contains("injected failure at step after_start on labhost2")
                .contains("RUN OUTCOME: 6 RECOVERED");
        assertOriginal();
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 4})
    @Order(2)
    void inPlaceExit4And5RecoverAutomaticallyToTheOriginalVersion(int code) {
        at1518();
        Drover run = pg.minorUpdate("-e", "pg_inplace_enabled=true", "-e", "pg_inplace_force_exit=" + code);
        String out = run.out() + run.err();
        assertThat(run.exit()).as(out).isEqualTo(6);
        assertThat(out).contains("FAIL__The catalog-data update failed")
                .contains(code == 5 ? "before any change" : "binaries and catalog files from the backup")
                .contains("Automatic recovery follows").contains("recoverable, rc=" + code);
        assertOriginal();
    }

    /**
     * {@code inplace_upgrade.sh info} on a running node leaves it running (it stopped the server on exit once the
     * target home existed, which took the master down in the middle of a rolling update).
     */
    @Test
    @Order(3)
    void inPlaceInfoLeavesARunningServerAlone() {
        at1518();
        String started = pg.psql("labhost1", "SELECT pg_postmaster_start_time()");
        var info = pg.lab.exec("labhost1", "cd / && su postgres -c '/var/lib/pg/inplace/inplace_upgrade.sh info -n 15.18 -N 15.20 "
                + "-s /var/lib/pg/inplace/sql -B /var/lib/pg/inplace/work-15.18-15.20 -d /var/lib/pg/15/data -t /opt/pg/15.20'");
        assertThat(info.exitCode()).as(info.describe()).isZero();
        assertThat(info.stdout()).contains("the in-place catalog-data path applies to 15.18-15.20");
        assertThat(pg.lab.exec("labhost1", "test -x /opt/pg/15.20/bin/postgres").exitCode()).isZero();
        assertThat(pg.psql("labhost1", "SELECT pg_postmaster_start_time()")).isEqualTo(started);
    }

    @Test
    @Order(4)
    void rollingUpdateReplicaFirstKeepsReadsOnTheReplicaAndTheData() {
        at1518();
        Drover run;
        Probe.Outage writeOutage;
        long readFailures;
        long readFailuresWhileMasterDown;
        long reads;
        long t0 = System.currentTimeMillis();
        try (Probe reader = new Probe(pg, "labhost2", "SELECT count(*) FROM t");
             Probe writer = new Probe(pg, "labhost1", "INSERT INTO ticks DEFAULT VALUES")) {
            run = pg.minorUpdate();
            PgMinorCluster.sleep(500);
            writer.close();
            reader.close();
            writeOutage = writer.longestOutage();
            reads = reader.attempts().size();
            readFailures = reader.failures();
            readFailuresWhileMasterDown = reader.failuresBetween(writeOutage.startMillis(), writeOutage.endMillis());
        }
        long took = System.currentTimeMillis() - t0;
        String out = run.out() + run.err();
        assertThat(run.exit()).as(out).isZero();
        System.out.printf("minor update rolling 15.18 -> 15.20: %.1f s; write downtime (master restart) %.1f s; "
                        + "replica reads %d, failed %d (all during the replica's own restart), failed while the master restarted %d%n",
                took / 1000.0, writeOutage.millis() / 1000.0, reads, readFailures, readFailuresWhileMasterDown);
        // The master did restart (writes stopped for a while) and the replica answered all along.
        assertThat(writeOutage.millis()).isPositive();
        assertThat(readFailuresWhileMasterDown).isZero();
        for (String h : pg.dbHosts) {
            assertThat(pg.version(h)).as(h).isEqualTo("15.20");
            assertThat(pg.checksum(h)).as(h).isEqualTo(checksum);
        }
        assertThat(pg.role("labhost2")).isEqualTo("t streaming");
        // Replica first: its server (re)started before the master's.
        assertThat(pg.psql("labhost2", "SELECT extract(epoch FROM pg_postmaster_start_time())"))
                .asString().satisfies(r -> assertThat(Double.parseDouble(r))
                        .isLessThan(Double.parseDouble(pg.psql("labhost1", "SELECT extract(epoch FROM pg_postmaster_start_time())"))));
        // Running it again changes nothing.
        Drover again = pg.minorUpdate();
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("15.20 -> 15.20: nothing to do");
        dirty = true;
    }

    @Test
    @Order(5)
    void inPlaceExit1StopsForManualIntervention() {
        at1518();
        Drover run = pg.minorUpdate("-e", "pg_inplace_enabled=true", "-e", "pg_inplace_force_exit=1");
        String out = run.out() + run.err();
        dirty = true;
        assertThat(run.exit()).as(out).isEqualTo(7);
        assertThat(out).contains("FAIL__The catalog-data update failed")
                .contains("Automatic recovery is not possible: inspect the host by hand")
                .contains("fatal, rc=1").contains("RUN OUTCOME: 7 MANUAL_INTERVENTION")
                .doesNotContain("Revert minor");
    }

    @Test
    @Order(6)
    void inPlaceUpdateChangesTheCatalogDataOfEveryDatabaseOnBothNodes() {
        at1518();
        Drover run = pg.minorUpdate("-e", "pg_inplace_enabled=true");
        String out = run.out() + run.err();
        dirty = true;
        assertThat(run.exit()).as(out).isZero();
        assertThat(out).contains("INFO__The catalog-data update finished successfully.__INFO");
        for (String h : pg.dbHosts) {
            assertThat(pg.version(h)).as(h).isEqualTo("15.20");
            assertThat(pg.checksum(h)).as(h).isEqualTo(checksum);
            // template1 got it too (so every database created later has it); the replica by replication.
            assertThat(pg.psql(h, "SELECT pg_catalog.drover_catalog_data_version()")).isEqualTo("15.20-1");
        }
        pg.psql("labhost1", "CREATE DATABASE later");
        assertThat(pg.query("labhost1", "later", "SELECT pg_catalog.drover_catalog_data_version()").out()).isEqualTo("15.20-1");
        assertThat(pg.role("labhost2")).isEqualTo("t streaming");
        assertThat(pg.psql("labhost1", "SELECT datallowconn FROM pg_database WHERE datname = 'template0'")).isEqualTo("f");
    }

    @Test
    @Order(7)
    void standaloneMasterOnly() {
        try (PgMinorCluster one = PgMinorCluster.start("pgminor-standalone", true)) {
            String sum = one.installFresh("--tags", "standalone");
            Drover run = one.minorUpdate("--tags", "standalone");
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(one.version("labhost1")).isEqualTo("15.20");
            assertThat(one.checksum("labhost1")).isEqualTo(sum);
        }
    }
}
