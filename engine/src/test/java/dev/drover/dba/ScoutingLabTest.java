package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.lab.Lab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * playbooks/playbook_scouting.yaml on lab hosts installed by playbook_install.yaml (real PostgreSQL): a healthy
 * cluster is READY and scouting changes nothing on any host (files under /opt, /var/lib/pg, /var/lib/pg-witness
 * and /etc, and the catalog state); a cluster with its replica stopped and a long transaction on the master is
 * NOT READY with those reasons; a 13 → 15 target runs pg_upgrade --check in a scratch directory it removes.
 */
class ScoutingLabTest {

    /** Files scouting must not touch. Inside PGDATA only the configuration is compared: the server itself
     *  writes the rest (checkpoints, statistics) whether scouting runs or not. */
    private static final String FILES = "find /opt /var/lib/pg /var/lib/pg-witness /etc -xdev"
            + " \\( -path '*/data/*' ! -name '*.conf' ! -name PG_VERSION ! -name standby.signal -o -name '*.log' \\) -prune"
            + " -o -printf '%p %y %s %T@ %m %u %l\\n' 2>/dev/null | sort";
    private static final String CATALOG = "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM ("
            + " SELECT 'c ' || oid || relname || relfilenode AS x FROM pg_class"
            + " UNION ALL SELECT 'r ' || rolname || rolcanlogin || rolreplication FROM pg_roles"
            + " UNION ALL SELECT 'd ' || datname || datallowconn FROM pg_database"
            + " UNION ALL SELECT 'e ' || extname || extversion FROM pg_extension"
            + " UNION ALL SELECT 's ' || name || setting FROM pg_settings WHERE source NOT IN ('default', 'session', 'client')"
            + " UNION ALL SELECT 'p ' || count(*) FROM pg_prepared_xacts"
            + " UNION ALL SELECT 'w ' || count(*) FROM pg_stat_replication WHERE state = 'streaming') s;";

    @Test
    void readyClusterChangesNothingAndAStoppedReplicaIsNotReady() throws Exception {
        try (PgLab pg = PgLab.start("scouting-cluster", 3)) {
            pg.install().orThrow();
            Lab lab = pg.lab();
            Map<String, String> before = state(pg);

            long t0 = System.nanoTime();
            PgLab.Run ready = pg.play("playbooks/playbook_scouting.yaml", "-e", "pg_target_version=15.20").orThrow();
            System.out.printf("scouting (3 hosts): %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals(Map.of("labhost1", "READY", "labhost2", "READY", "labhost3", "READY"),
                    ScoutingPlaybookTest.verdicts(ready.out()), ready.out());
            var rows = ScoutingPlaybookTest.rows(ready.out());
            assertEquals("ok", rows.get("labhost1").get("recovery")[0]);
            assertEquals("not in recovery (primary)", rows.get("labhost1").get("recovery")[1]);
            assertEquals("in recovery (standby)", rows.get("labhost2").get("recovery")[1]);
            assertTrue(rows.get("labhost1").get("replication")[1].startsWith("1 streaming replica(s), 1 in the inventory, max lag"),
                    rows.get("labhost1").get("replication")[1]);
            assertTrue(rows.get("labhost2").get("replication")[1].startsWith("WAL receiver streaming"), ready.out());
            assertEquals("15.18 -> 15.20: minor update, allowed [current from home]", rows.get("labhost1").get("version_path")[1]);
            assertEquals("PostgreSQL 15.18 in /opt/pg/15.18 (current); homes: 15.18", rows.get("labhost2").get("pghome")[1]);
            assertEquals("plpgsql in use, all in 15.20", rows.get("labhost1").get("extensions")[1]);
            assertTrue(rows.get("labhost1").get("disk_space")[1].contains("for a minor update"), ready.out());
            assertEquals("not checked", rows.get("labhost3").get("pghome")[0]);
            assertEquals("ok", rows.get("labhost3").get("witness")[0], ready.out());
            for (String h : List.of("labhost1", "labhost2", "labhost3")) assertEquals(0, ready.changed(h), ready.out());
            assertTrue(ready.out().contains("Next: drover play -i <inventory> playbooks/playbook_minor_update.yaml"), ready.out());
            assertEquals(before, state(pg), "scouting changed a host");

            // the replica's server stopped, a transaction open on the master for longer than the limit
            lab.exec("labhost2", "cd / && su postgres -c 'LD_LIBRARY_PATH=/opt/pg/current/lib/x86_64-linux-gnu "
                    + "/opt/pg/current/bin/pg_ctl -D /var/lib/pg/15/data -m fast -w stop'").orThrow();
            lab.exec("labhost1", "cd / && setsid su postgres -c 'LD_LIBRARY_PATH=/opt/pg/current/lib/x86_64-linux-gnu "
                    + "/opt/pg/current/bin/psql -h /run/postgresql -c \"BEGIN; SELECT pg_sleep(60)\"' >/dev/null 2>&1 </dev/null &").orThrow();
            Thread.sleep(2500);
            PgLab.Run broken = pg.play("playbooks/playbook_scouting.yaml", "-e", "pg_target_version=15.20",
                    "-e", "scouting_long_xact_seconds=1").orThrow();
            assertEquals("NOT READY", ScoutingPlaybookTest.verdicts(broken.out()).get("labhost1"), broken.out());
            var b = ScoutingPlaybookTest.rows(broken.out());
            assertEquals("fail", b.get("labhost1").get("replication")[0]);
            assertTrue(b.get("labhost1").get("replication")[1].startsWith("0 streaming replica(s), 1 in the inventory: a replica is not streaming"),
                    b.get("labhost1").get("replication")[1]);
            assertEquals("fail", b.get("labhost1").get("long_transactions")[0]);
            assertTrue(broken.out().contains("labhost1 (master): NOT READY")
                    && broken.out().contains("NOT READY because: replication: 0 streaming replica(s)"), broken.out());
            assertEquals("warn", b.get("labhost2").get("server")[0], broken.out());
            assertTrue(b.get("labhost2").get("server")[1].startsWith("not running (port free)"), b.get("labhost2").get("server")[1]);
            assertEquals("fail", b.get("labhost3").get("witness")[0], broken.out());
            assertTrue(b.get("labhost3").get("witness")[1].contains("labhost2 (replica) " + lab.host(2).address() + ":5432 DOWN"),
                    b.get("labhost3").get("witness")[1]);
        }
    }

    @Test
    void majorTargetRunsPgUpgradeCheckAndLeavesNothingBehind() throws Exception {
        try (PgLab pg = PgLab.start("scouting-major", 2, Map.of("pg_version", "13.23"))) {
            // 13 with its libraries from the relocated home; the replica logs in with scram (13 hashes md5 by default)
            pg.install().orThrow();
            assertEquals("13.23", pg.version("labhost1"));
            assertEquals("13.23", pg.version("labhost2"));
            assertTrue(pg.inRecovery("labhost2"));
            assertEquals("streaming", pg.psql("labhost1", "SELECT state FROM pg_stat_replication;"));
            Map<String, String> before = state(pg);
            PgLab.Run r = pg.play("playbooks/playbook_scouting.yaml", "-e", "pg_target_version=15.20").orThrow();
            assertEquals("not checked: runs on the master only (replicas are re-synced from it)",
                    ScoutingPlaybookTest.rows(r.out()).get("labhost2").get("pg_upgrade_check")[1]);
            var rows = ScoutingPlaybookTest.rows(r.out()).get("labhost1");
            assertEquals("13.23 -> 15.20: major update, allowed [current from home]", rows.get("version_path")[1]);
            assertEquals("ok", rows.get("pg_upgrade_check")[0], r.out());
            assertTrue(rows.get("pg_upgrade_check")[1].startsWith("pg_upgrade --check to 15.20: *Clusters are compatible*"),
                    rows.get("pg_upgrade_check")[1]);
            assertTrue(rows.get("disk_space")[1].contains("for a major upgrade, pg_upgrade --link"), rows.get("disk_space")[1]);
            assertEquals(Map.of("labhost1", "READY", "labhost2", "READY"), ScoutingPlaybookTest.verdicts(r.out()), r.out());
            assertEquals(0, r.changed("labhost1"), r.out());
            assertEquals(0, r.changed("labhost2"), r.out());
            assertEquals(before, state(pg), "scouting changed the host");
            assertEquals("", pg.lab().exec("labhost1", "ls -d /tmp/drover-scouting.* 2>/dev/null; true").orThrow().stdout(), "scratch left in /tmp");

            // a new cluster without data checksums: both the parity check and pg_upgrade --check say so, NOT READY
            PgLab.Run bad = pg.play("playbooks/playbook_scouting.yaml", "--tags", "standalone", "-e", "pg_target_version=15.20",
                    "-e", "pg_data_checksums=false").orThrow();
            var badRows = ScoutingPlaybookTest.rows(bad.out()).get("labhost1");
            assertEquals("fail", badRows.get("encoding_locale")[0], bad.out());
            assertTrue(badRows.get("encoding_locale")[1].contains("the new cluster would get UTF8 C.UTF-8, checksums off"),
                    badRows.get("encoding_locale")[1]);
            assertEquals("fail", badRows.get("pg_upgrade_check")[0], bad.out());
            assertTrue(badRows.get("pg_upgrade_check")[1].contains("checksum"), badRows.get("pg_upgrade_check")[1]);
            assertEquals("NOT READY", ScoutingPlaybookTest.verdicts(bad.out()).get("labhost1"));
            assertEquals("", pg.lab().exec("labhost1", "ls -d /tmp/drover-scouting.* 2>/dev/null; true").orThrow().stdout(), "scratch left in /tmp");
        }
    }

    /** Per PostgreSQL host: the file listing and, when its server runs, the catalog digest. */
    private static Map<String, String> state(PgLab pg) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (Lab.Host h : pg.lab().hosts()) {
            m.put(h.name() + " files", pg.lab().exec(h.name(), FILES).orThrow().stdout());
            Lab.Result cat = pg.psqlResult(h.name(), "postgres", CATALOG);
            m.put(h.name() + " catalog", cat.ok() ? cat.stdout() : "no server");
        }
        return m;
    }
}
