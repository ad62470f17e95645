package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-fleet inventory (inventories/local/hosts.yml) end to end on this machine: playbook_install.yaml makes a
 * master and a streaming replica as two local instances under a work dir (as postgres through become when the
 * test runs as root, as the test's own user otherwise), a second run changes nothing, data written on the master
 * reaches the replica, and scouting says both are READY for a minor update. Ports are chosen free (the inventory's
 * {@code local_lab_port}), so it runs beside other tests.
 */
class LocalInventoryTest {
    @TempDir Path tmp;

    @Test
    void installsMasterAndReplicaLocallyThenScoutingSaysReady() throws Exception {
        // postgres (when root) must reach the work dir: JUnit's temp dir is private to its owner
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = tmp.resolve("local-lab");
        int port = freePortPair();
        List<String> common = List.of("-i", ScoutingPlaybookTest.ROOT.resolve("inventories/local/hosts.yml").toString(),
                "-e", "drover_work_dir=" + work, "-e", "local_lab_port=" + port);
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            long t0 = System.nanoTime();
            Drover first = play(common, "playbooks/playbook_install.yaml");
            System.out.printf("local install (master + replica): %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertEquals(0, first.exit(), first.out() + first.err());
            Drover second = play(common, "playbooks/playbook_install.yaml");
            assertEquals(0, second.exit(), second.out() + second.err());
            for (String h : List.of("pg-master-local", "pg-replica-local")) {
                assertTrue(second.out().matches("(?s).*" + h + "\\s+: ok=\\d+\\s+changed=0\\s.*"), h + " changed on the second run\n" + second.out());
            }
            assertEquals("streaming", psql(work, "pg-master-local", port, "SELECT state FROM pg_stat_replication;"));
            assertEquals("t", psql(work, "pg-replica-local", port + 1, "SELECT pg_is_in_recovery();"));
            assertEquals(root ? "postgres" : System.getProperty("user.name"),
                    Files.getOwner(work.resolve("pg-master-local/data/15/data")).getName());
            assertEquals("15.18", Files.readSymbolicLink(work.resolve("pg-replica-local/pg/current")).toString());

            psql(work, "pg-master-local", port, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 100000) g;");
            String sum = "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM t;";
            String masterSum = psql(work, "pg-master-local", port, sum);
            String lsn = psql(work, "pg-master-local", port, "SELECT pg_current_wal_lsn();");
            for (int i = 0; i < 60 && !psql(work, "pg-replica-local", port + 1,
                    "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn;").equals("t"); i++) {
                Thread.sleep(500);
            }
            assertEquals(masterSum, psql(work, "pg-replica-local", port + 1, sum));

            Drover scouting = play(common, "playbooks/playbook_scouting.yaml");
            assertEquals(0, scouting.exit(), scouting.out() + scouting.err());
            assertEquals(java.util.Map.of("pg-master-local", "READY", "pg-replica-local", "READY"),
                    ScoutingPlaybookTest.verdicts(scouting.out()), scouting.out());
            var rows = ScoutingPlaybookTest.rows(scouting.out());
            assertEquals("15.18 -> 15.20: minor update, allowed [current from home]", rows.get("pg-master-local").get("version_path")[1]);
            assertTrue(rows.get("pg-master-local").get("replication")[1].startsWith("1 streaming replica(s), 1 in the inventory"),
                    rows.get("pg-master-local").get("replication")[1]);
        } finally {
            for (String h : List.of("pg-replica-local", "pg-master-local")) {
                Path home = work.resolve(h + "/pg/current");
                if (!Files.exists(home.resolve("bin/pg_ctl"))) continue;
                run(asOwner(root, "env", "LD_LIBRARY_PATH=" + home.resolve("lib/x86_64-linux-gnu"), home.resolve("bin/pg_ctl").toString(),
                        "-D", work.resolve(h + "/data/15/data").toString(), "-m", "immediate", "-w", "stop"), false);
            }
        }
    }

    private static Drover play(List<String> common, String playbook) {
        List<String> a = new ArrayList<>(List.of("play"));
        a.addAll(common);
        a.add(ScoutingPlaybookTest.ROOT.resolve(playbook).toString());
        return Drover.run(a.toArray(String[]::new));
    }

    private static String psql(Path work, String host, int port, String sql) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = work.resolve(host + "/pg/current");
        return run(asOwner(root, "env", "LD_LIBRARY_PATH=" + home.resolve("lib/x86_64-linux-gnu"), home.resolve("bin/psql").toString(),
                "-XAtq", "-v", "ON_ERROR_STOP=1", "-h", work.resolve(host + "/run").toString(), "-p", String.valueOf(port),
                "-d", "postgres", "-c", sql), true).trim();
    }

    private static List<String> asOwner(boolean root, String... cmd) {
        List<String> out = new ArrayList<>();
        if (root) out.addAll(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(List.of(cmd));
        return out;
    }

    private static String run(List<String> cmd, boolean check) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(Path.of("/").toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (check && p.exitValue() != 0) fail(cmd + " exited " + p.exitValue() + ":\n" + s);
        return s;
    }

    /** A port N with N and N+1 both free on 127.0.0.1 (the master and the replica). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int n = 20000 + (int) (Math.random() * 20000);
            try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
                a.bind(new InetSocketAddress("127.0.0.1", n));
                b.bind(new InetSocketAddress("127.0.0.1", n + 1));
                return n;
            } catch (IOException busy) {
                // try another pair
            }
        }
        throw new IOException("no free pair of ports found");
    }
}
