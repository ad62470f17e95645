package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.lab.Lab;
import org.junit.jupiter.api.Test;

/**
 * playbooks/playbook_install.yaml on lab hosts with real PostgreSQL 15.18 from the controller's package dir:
 * a 1-host standalone install and a 3-host cluster (master, streaming replica, arbiter witness), each run twice
 * to prove the second run changes nothing.
 */
class InstallPlaybookTest {

    @Test
    void standaloneInstallsRunsAndIsIdempotent() throws Exception {
        try (PgLab pg = PgLab.start("install-standalone", 1)) {
            long t0 = System.nanoTime();
            PgLab.Run first = pg.install("--tags", "standalone").orThrow();
            System.out.printf("standalone install: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertTrue(first.changed("labhost1") > 0, first.out());
            assertEquals("15.18", pg.version("labhost1"));
            assertEquals("f", pg.psql("labhost1", "SELECT pg_is_in_recovery();"));
            assertEquals("on|UTF8|C.UTF-8|5432", pg.psql("labhost1", "SELECT current_setting('data_checksums') || '|' || "
                    + "pg_encoding_to_char(encoding) || '|' || datcollate || '|' || current_setting('port') "
                    + "FROM pg_database WHERE datname = 'template1';"));
            Lab lab = pg.lab();
            assertEquals("15.18\n", lab.exec("labhost1", "readlink /opt/pg/current").orThrow().stdout());
            assertEquals("15.18", lab.exec("labhost1", "cat /opt/pg/15.18/VERSION").orThrow().stdout().trim());
            assertEquals("postgres 700\n", lab.exec("labhost1", "stat -c '%U %a' /var/lib/pg/15/data").orThrow().stdout());
            // no leftovers of the atomic steps: no package copy, no temporary unpack or symlink
            assertEquals("15.18\ncurrent\n", lab.exec("labhost1", "ls -A /opt/pg").orThrow().stdout());
            assertTrue(lab.exec("labhost1", "test -s /var/lib/pg/15/postgresql.log").ok(), "the server logs beside its data");
            // the playbooks never use the machine's /usr/lib/postgresql (visible to lab hosts through /usr)
            String exe = lab.exec("labhost1", "readlink /proc/$(head -1 /var/lib/pg/15/data/postmaster.pid)/exe").orThrow().stdout();
            assertTrue(exe.startsWith("/opt/pg/15.18/"), exe);

            pg.createTable("labhost1", "t", 100_000);
            String sum = pg.checksum("labhost1", "t");
            PgLab.Run second = pg.install("--tags", "standalone").orThrow();
            assertEquals(0, second.changed("labhost1"), second.out());
            assertEquals(sum, pg.checksum("labhost1", "t"));
            assertEquals("100000", pg.psql("labhost1", "SELECT count(*) FROM t;"));

            // a version with no package on the controller: stops at the first task and says what to do
            PgLab.Run missing = pg.install("--tags", "standalone", "-e", "pg_version=15.99");
            assertEquals(2, missing.exit(), missing.out());
            assertTrue(missing.out().contains("run bin/pg-packages 15.99"), missing.out());
            assertEquals(0, missing.changed("labhost1"), missing.out());
        }
    }

    @Test
    void clusterInstallsMasterStreamingReplicaAndWitness() throws Exception {
        try (PgLab pg = PgLab.start("install-cluster", 3)) {
            // replicas need a replication password, and there is no default one
            PgLab.Run noPassword = pg.install("-e", "pg_replication_password=");
            assertEquals(2, noPassword.exit(), noPassword.out());
            assertTrue(noPassword.out().contains("pg_replication_password must be set"), noPassword.out());
            long t0 = System.nanoTime();
            pg.install().orThrow();
            System.out.printf("cluster install (3 hosts): %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals("15.18", pg.version("labhost1"));
            assertEquals("15.18", pg.version("labhost2"));
            assertEquals(false, pg.inRecovery("labhost1"));
            assertEquals(true, pg.inRecovery("labhost2"));
            assertEquals("labhost2|streaming", pg.psql("labhost1",
                    "SELECT application_name || '|' || state FROM pg_stat_replication;"));
            assertEquals("streaming", pg.psql("labhost2", "SELECT status FROM pg_stat_wal_receiver;"));
            // the arbiter runs no server and has no home; its witness sees both members
            Lab lab = pg.lab();
            assertEquals(1, lab.exec("labhost3", "test -e /opt/pg/current").exitCode());
            Lab.Result check = lab.exec("labhost3", "/var/lib/pg-witness/check.sh");
            assertEquals(0, check.exitCode(), check.describe());
            assertTrue(check.stdout().contains("labhost1 (master) " + lab.host(1).address() + ":5432 up"), check.stdout());
            assertTrue(check.stdout().contains("labhost2 (replica) " + lab.host(2).address() + ":5432 up"), check.stdout());

            pg.createTable("labhost1", "t", 100_000);
            pg.awaitReplay("labhost1", "labhost2");
            String sum = pg.checksum("labhost1", "t");
            assertEquals(sum, pg.checksum("labhost2", "t"));

            PgLab.Run second = pg.install().orThrow();
            for (String h : new String[] {"labhost1", "labhost2", "labhost3"}) {
                assertEquals(0, second.changed(h), h + " changed on the second run\n" + second.out());
            }
            assertEquals("labhost2|streaming", pg.psql("labhost1",
                    "SELECT application_name || '|' || state FROM pg_stat_replication;"));
            assertEquals(sum, pg.checksum("labhost2", "t"));
        }
    }
}
