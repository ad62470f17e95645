package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.lab.Lab;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * playbooks/playbook_major_update.yaml, 13.23 -> 15.20 with pg_upgrade --link, on lab hosts with real PostgreSQL
 * installed by playbook_install.yaml. The cluster test runs on one 3-host lab (master, replica, arbiter): two
 * failures before the point of no return, each ending in recovery to 13.23 with replication and data intact, one
 * after it (manual intervention, then the backup restored by a later run), then the upgrade that succeeds on the
 * same hosts (so recovery also leaves them fit for the next attempt).
 */
class MajorUpdatePlaybookTest {
    static final String PLAYBOOK = "playbooks/playbook_major_update.yaml";
    static final Map<String, Object> VARS = Map.of("pg_version", "13.23");
    static final Pattern DOWNTIME = Pattern.compile("write downtime: (\\d+\\.\\d) s");

    @Test
    void clusterRecoversFromFailuresBeforeThePointOfNoReturnThenUpgrades() throws Exception {
        try (PgLab pg = PgLab.start("major", 3, VARS)) {
            pg.install().orThrow();
            assertEquals("13.23", pg.version("labhost1"));
            pg.createTable("labhost1", "t", 100_000);
            pg.awaitReplay("labhost1", "labhost2");
            String sum = pg.checksum("labhost1", "t");
            Lab lab = pg.lab();

            // 1. A task failing on the replica inside the downtime window, after pg_upgrade --link ran on the
            //    master: a file where the new standby's data directory must go.
            lab.exec("labhost2", "touch /var/lib/pg/15").orThrow();
            PgLab.Run replicaFails = major(pg);
            assertEquals(6, replicaFails.exit(), replicaFails.out());
            String out = replicaFails.out();
            assertTrue(out.contains("Upgrade Complete"), "pg_upgrade --link ran on the master before the failure\n" + out);
            assertTrue(Pattern.compile("give the old cluster its pg_control back.*?\\nchanged: \\[labhost1\\]", Pattern.DOTALL)
                    .matcher(out).find(), "recovery renamed global/pg_control.old back\n" + out);
            assertTrue(out.contains("RECOVERED: labhost1 runs PostgreSQL 13.23 again"), out);
            assertTrue(out.contains("RECOVERED: labhost2 runs PostgreSQL 13.23 again"), out);
            assertFalse(out, "runs PostgreSQL 15.20");
            assertBackOn13(pg, sum, "after the replica's failure");
            lab.exec("labhost2", "rm /var/lib/pg/15").orThrow();

            // 2. A full disk on the master: a 1 MB tmpfs where the new data directory goes. The checks see it;
            //    nothing is changed and recovery confirms the old cluster.
            lab.exec("labhost1", "mkdir -p /var/lib/pg/15/data && mount -t tmpfs -o size=1m tmpfs /var/lib/pg/15/data"
                    + " && chown postgres:postgres /var/lib/pg/15/data && chmod 700 /var/lib/pg/15/data").orThrow();
            PgLab.Run diskFull = major(pg);
            assertEquals(6, diskFull.exit(), diskFull.out());
            assertTrue(diskFull.out().contains("not enough free disk for the new data directory: 1 MB free on /var/lib/pg/15/data"),
                    diskFull.out());
            assertBackOn13(pg, sum, "after the full disk");
            lab.exec("labhost1", "umount /var/lib/pg/15/data").orThrow();

            // 3. A failure on the master after the point of no return (the switch of `current` once 15.20 runs):
            //    exit 7, nothing undone; then a later run with pg_major_restore_from_backup restores the master's
            //    backup and re-clones the replica from it (with the connection its configuration backup holds).
            lab.exec("labhost1", "mkdir /opt/pg/.current.tmp").orThrow();
            PgLab.Run late = major(pg);
            assertEquals(7, late.exit(), late.out());
            assertTrue(late.out().contains("MANUAL INTERVENTION REQUIRED"), late.out());
            assertEquals("15.20", pg.version("labhost1"));
            lab.exec("labhost1", "rm -r /opt/pg/.current.tmp").orThrow();
            PgLab.Run restore = pg.play(PLAYBOOK, "-e", "pg_target_version=15.20", "-e", "pg_major_restore_from_backup=true");
            assertEquals(6, restore.exit(), restore.out());
            assertBackOn13(pg, sum, "after the backup restore");

            // 4. The upgrade on the same hosts.
            long t0 = System.nanoTime();
            PgLab.Run ok = major(pg);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, ok.exit(), ok.out());
            for (String h : new String[] {"labhost1", "labhost2"}) {
                assertEquals("15.20", pg.version(h), h);
                assertEquals("15.20\n", lab.exec(h, "readlink /opt/pg/current").orThrow().stdout(), h);
                String exe = lab.exec(h, "readlink /proc/$(head -1 /var/lib/pg/15/data/postmaster.pid)/exe").orThrow().stdout();
                assertTrue(exe.startsWith("/opt/pg/15.20/"), exe);
                // the old cluster is kept until a DBA deletes it
                assertTrue(lab.exec(h, "test -f /var/lib/pg/13/data/PG_VERSION").ok(), h);
            }
            assertEquals(false, pg.inRecovery("labhost1"));
            assertEquals(true, pg.inRecovery("labhost2"));
            assertEquals("labhost2|streaming", pg.psql("labhost1",
                    "SELECT application_name || '|' || state FROM pg_stat_replication;"));
            assertEquals("on|UTF8|C.UTF-8", pg.psql("labhost1", "SELECT current_setting('data_checksums') || '|' || "
                    + "pg_encoding_to_char(encoding) || '|' || datcollate FROM pg_database WHERE datname = 'template1';"));
            assertEquals(sum, pg.checksum("labhost1", "t"));
            assertEquals(sum, pg.checksum("labhost2", "t"));
            // statistics were rebuilt (vacuumdb --analyze-in-stages)
            assertEquals("t", pg.psql("labhost1", "SELECT count(*) > 0 FROM pg_stats WHERE tablename = 't';"));
            // writes on the new master reach the new standby
            pg.psql("labhost1", "INSERT INTO t VALUES (100001, 'after');");
            pg.awaitReplay("labhost1", "labhost2");
            assertEquals("after", pg.psql("labhost2", "SELECT payload FROM t WHERE id = 100001;"));
            assertTrue(ok.out().contains("delete_old_cluster.sh"), ok.out());
            // the arbiter's witness records the new version and sees both members
            assertTrue(lab.exec("labhost3", "cat /var/lib/pg-witness/cluster.json").orThrow().stdout()
                    .contains("\"pg_version\": \"15.20\""));
            assertEquals(0, lab.exec("labhost3", "/var/lib/pg-witness/check.sh").exitCode());
            System.out.printf("major update 13.23 -> 15.20 (cluster, 100k rows): %.1f s, write downtime %s s%n",
                    seconds, downtime(ok));
        }
    }

    /**
     * Standalone: a failure after the point of no return (the switch of `current` fails once the new cluster has
     * started) stops with the manual-intervention exit code and changes nothing; the rerun with
     * pg_major_restore_from_backup restores the backup (13.23, same data); then the upgrade succeeds.
     */
    @Test
    void standaloneRestoresTheBackupAfterThePointOfNoReturnThenUpgrades() throws Exception {
        try (PgLab pg = PgLab.start("major-standalone", 1, VARS)) {
            pg.install("--tags", "standalone").orThrow();
            pg.createTable("labhost1", "t", 100_000);
            String sum = pg.checksum("labhost1", "t");
            Lab lab = pg.lab();

            // a directory where the new `current` symlink is made: mv -T refuses to put it in place
            lab.exec("labhost1", "mkdir /opt/pg/.current.tmp").orThrow();
            PgLab.Run late = pg.play(PLAYBOOK, "--tags", "standalone", "-e", "pg_target_version=15.20");
            assertEquals(7, late.exit(), late.out());
            assertTrue(late.out().contains("point of no return passed"), late.out());
            assertTrue(late.out().contains("MANUAL INTERVENTION REQUIRED"), late.out());
            assertEquals("15.20", pg.version("labhost1"), "recovery left the new cluster as it was");
            assertEquals(sum, pg.checksum("labhost1", "t"));
            lab.exec("labhost1", "rm -r /opt/pg/.current.tmp").orThrow();

            PgLab.Run restore = pg.play(PLAYBOOK, "--tags", "standalone", "-e", "pg_target_version=15.20",
                    "-e", "pg_major_restore_from_backup=true");
            assertEquals(6, restore.exit(), restore.out());
            assertTrue(restore.out().contains("RECOVERED: labhost1 runs PostgreSQL 13.23 again"), restore.out());
            assertEquals("13.23", pg.version("labhost1"));
            assertEquals("13.23\n", lab.exec("labhost1", "readlink /opt/pg/current").orThrow().stdout());
            assertEquals(sum, pg.checksum("labhost1", "t"));
            // what recovery set aside is kept for a post-mortem
            assertTrue(lab.exec("labhost1", "ls -d /var/lib/pg/13/data.after-upgrade-* /var/lib/pg/15/data.abandoned-*").ok());

            long t0 = System.nanoTime();
            PgLab.Run ok = pg.play(PLAYBOOK, "--tags", "standalone", "-e", "pg_target_version=15.20");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, ok.exit(), ok.out());
            assertEquals("15.20", pg.version("labhost1"));
            assertEquals(false, pg.inRecovery("labhost1"));
            assertEquals(sum, pg.checksum("labhost1", "t"));
            assertEquals("15.20\n", lab.exec("labhost1", "readlink /opt/pg/current").orThrow().stdout());
            assertEquals(1, lab.exec("labhost1", "test -e /var/lib/pg/.major-upgrade").exitCode(), "finished: no record left");
            System.out.printf("major update 13.23 -> 15.20 (standalone, 100k rows): %.1f s, write downtime %s s%n",
                    seconds, downtime(ok));
        }
    }

    private static PgLab.Run major(PgLab pg) {
        return pg.play(PLAYBOOK, "-e", "pg_target_version=15.20");
    }

    private static String downtime(PgLab.Run run) {
        Matcher m = DOWNTIME.matcher(run.out());
        assertTrue(m.find(), "the write downtime is printed\n" + run.out());
        return m.group(1);
    }

    private static void assertFalse(String out, String text) {
        assertTrue(!out.contains(text), "unexpected '" + text + "' in\n" + out);
    }

    /** Both nodes run 13.23 from the old home, the replica streams, the data is identical and writes replicate. */
    private static void assertBackOn13(PgLab pg, String sum, String when) throws InterruptedException {
        Lab lab = pg.lab();
        for (String h : new String[] {"labhost1", "labhost2"}) {
            assertEquals("13.23", pg.version(h), h + " " + when);
            assertEquals("13.23\n", lab.exec(h, "readlink /opt/pg/current").orThrow().stdout(), h + " " + when);
        }
        assertEquals(false, pg.inRecovery("labhost1"), when);
        assertEquals(true, pg.inRecovery("labhost2"), when);
        assertEquals("labhost2|streaming", pg.psql("labhost1",
                "SELECT application_name || '|' || state FROM pg_stat_replication;"), when);
        assertEquals(sum, pg.checksum("labhost1", "t"), when);
        pg.awaitReplay("labhost1", "labhost2");
        assertEquals(sum, pg.checksum("labhost2", "t"), when);
        pg.psql("labhost1", "CREATE TABLE IF NOT EXISTS probe (id int); INSERT INTO probe VALUES (1);");
        pg.awaitReplay("labhost1", "labhost2");
        assertTrue(Integer.parseInt(pg.psql("labhost2", "SELECT count(*) FROM probe;")) > 0, when);
    }
}
