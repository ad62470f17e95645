package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live checks (psql) against a real, running primary on the master's port 55432: a throw-away cluster
 * made with initdb, with one client transaction held open. Drover and ansible-playbook must both report the
 * server up, not in recovery, the missing replica and the long transaction, with the same statuses.
 *
 * <p>Needs the PostgreSQL server binaries (initdb, pg_ctl); without them there is nothing to start and the
 * test is skipped (the no-PostgreSQL path is what {@link ScoutingPlaybookTest} covers). As root the server
 * runs as the {@code postgres} user through runuser, since initdb refuses root.
 */
class LiveServerScoutingTest {
    static final int MASTER_PORT = 55432;

    @TempDir Path tmp;

    @Test
    void liveChecksSeeThePrimaryItsMissingReplicaAndALongTransaction() throws Exception {
        Path bin = serverBin();
        Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl) on this machine");
        assertPortFree(MASTER_PORT);
        boolean root = "root".equals(System.getProperty("user.name"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path master = Files.createDirectories(work.resolve("master"));
        Files.createDirectories(work.resolve("replica"));
        for (Path p : List.of(tmp, work, master)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (root) exec(List.of("chown", "postgres", master.toString()));
        Path data = master.resolve("data");
        exec(asOwner(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C"));
        exec(asOwner(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30", "-l",
                master.resolve("server.log").toString(), "-o",
                "-p " + MASTER_PORT + " -c listen_addresses=127.0.0.1 -k " + master, "start"));
        Process longXact = null;
        try {
            longXact = new ProcessBuilder(bin.resolve("psql").toString(), "-X", "-h", "127.0.0.1", "-p",
                    String.valueOf(MASTER_PORT), "-U", "postgres", "-d", "postgres", "-c", "SELECT pg_sleep(120)")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("sleep.out").toFile()).start();
            Thread.sleep(2500);
            List<String> args = List.of("-i", ScoutingPlaybookTest.ROOT.resolve("inventories/local/hosts.yml").toString(),
                    "-e", "drover_work_dir=" + work, "-e", "pg_home=" + bin, "-e", "scouting_long_xact_seconds=1",
                    ScoutingPlaybookTest.ROOT.resolve("playbooks/playbook_scouting.yaml").toString());
            List<String> dArgs = new ArrayList<>(List.of("play"));
            dArgs.addAll(args);
            Drover d = Drover.run(dArgs.toArray(String[]::new));
            assertEquals(0, d.exit(), d.out() + d.err());
            Map<String, String[]> m = ScoutingPlaybookTest.rows(d.out()).get("pg-master-local");
            assertEquals("ok", m.get("server")[0], m.get("server")[1]);
            assertEquals("ok", m.get("recovery")[0]);
            assertEquals("not in recovery (primary)", m.get("recovery")[1]);
            assertEquals("fail", m.get("replication")[0]);
            assertTrue(m.get("replication")[1].startsWith("0 streaming replica(s), 1 in the inventory"), m.get("replication")[1]);
            assertEquals("fail", m.get("long_transactions")[0]);
            assertTrue(m.get("long_transactions")[1].startsWith("1 transaction(s) older than 1 s"), m.get("long_transactions")[1]);
            assertEquals("ok", m.get("prepared_transactions")[0]);
            assertTrue(m.get("encoding_locale")[1].contains("template1 UTF8 C"), m.get("encoding_locale")[1]);
            assertEquals("NOT READY", ScoutingPlaybookTest.verdicts(d.out()).get("pg-master-local"));
            assertTrue(d.out().contains("NOT READY because: replication: 0 streaming replica(s)"), d.out());

            ScoutingPlaybookTest.Result a = ScoutingPlaybookTest.ansible(tmp, args);
            assertEquals(0, a.exit(), a.out() + a.err());
            assertEquals(ScoutingPlaybookTest.verdicts(a.out()), ScoutingPlaybookTest.verdicts(d.out()));
            assertEquals(ScoutingPlaybookTest.statuses(ScoutingPlaybookTest.rows(a.out())),
                    ScoutingPlaybookTest.statuses(ScoutingPlaybookTest.rows(d.out())));
        } finally {
            if (longXact != null) longXact.destroyForcibly();
            exec(asOwner(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        }
    }

    private static List<String> asOwner(boolean root, String... cmd) {
        List<String> out = new ArrayList<>();
        if (root) out.addAll(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(List.of(cmd));
        return out;
    }

    private void exec(List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "cmd", ".log");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        if (p.exitValue() != 0) fail(cmd + " exited " + p.exitValue() + ":\n" + Files.readString(log));
    }

    /** The newest /usr/lib/postgresql/N/bin with initdb, or the directory of initdb on PATH. */
    private static Path serverBin() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> s = Files.list(debian)) {
                Path best = s.map(p -> p.resolve("bin"))
                        .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("psql")))
                        .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (best != null) return best;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir);
            if (!dir.isEmpty() && Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("psql"))) return p;
        }
        return null;
    }

    private static void assertPortFree(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            fail("port " + port + " is in use on this machine: stop whatever listens there (the local inventory uses it)");
        } catch (IOException free) {
            // nothing listens: good
        }
    }
}
