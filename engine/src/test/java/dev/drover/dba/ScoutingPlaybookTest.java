package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scouting playbook against the no-fleet inventory (inventories/local/hosts.yml), run by Drover in-process
 * and by ansible-playbook: it completes with exit 0, prints a table for each host, changes nothing on disk,
 * and both tools reach the same verdict and the same status for every check.
 *
 * <p>The work dir holds an initialised-looking master PGDATA (PG_VERSION, a few files) and no replica PGDATA,
 * so the replica is NOT READY whatever this machine has installed. A missing ansible-playbook fails the test.
 */
class ScoutingPlaybookTest {
    static final Path ROOT = repoRoot();
    static final Pattern TITLE = Pattern.compile("\"([\\w.-]+) \\((master|replica|arbiter|none)\\): (READY|NOT READY)\"");
    static final Pattern ROW = Pattern.compile("^\\s*\"([a-z_]+)\\s+(ok|warn|fail|not checked)\\s+(.*)\",?$");

    @TempDir Path tmp;
    Path work;
    Path home;

    @BeforeEach
    void lab() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".profile"), "# a HOME that must stay as it is\n");
        Path data = Files.createDirectories(work.resolve("pg-master-local/data/15/data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Files.createDirectories(data.resolve("base/1"));
        Files.write(data.resolve("base/1/1259"), new byte[8192]);
        Files.createDirectories(data.resolve("global"));
        Files.write(data.resolve("global/pg_control"), new byte[8192]);
        Files.createDirectories(work.resolve("pg-replica-local"));
        // an old mtime, so a rewrite within the same second would still show
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.toList()) Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        }
    }

    @Test
    void droverReportsEveryHostAndChangesNothing() throws IOException {
        Map<String, String> before = snapshot(tmp);
        Drover d = droverScouting();
        assertEquals(0, d.exit(), "scouting must exit 0 whatever the readiness\n" + d.out() + d.err());
        Map<String, String> verdicts = verdicts(d.out());
        assertEquals(Map.of("pg-master-local", "master", "pg-replica-local", "replica"), roles(d.out()));
        assertEquals("NOT READY", verdicts.get("pg-replica-local"), d.out());
        Map<String, Map<String, String[]>> rows = rows(d.out());
        String[] replicaData = rows.get("pg-replica-local").get("pgdata");
        assertEquals("fail", replicaData[0]);
        assertTrue(replicaData[1].contains(work.resolve("pg-replica-local/data/15/data") + " does not exist"), replicaData[1]);
        String[] masterData = rows.get("pg-master-local").get("pgdata");
        assertTrue(masterData[1].startsWith("initialised: PostgreSQL 15 data in " + work.resolve("pg-master-local/data/15/data"))
                || masterData[1].startsWith("data is PostgreSQL 15 but the binaries are"), masterData[1]);
        for (String host : List.of("pg-master-local", "pg-replica-local")) {
            Map<String, String[]> r = rows.get(host);
            for (String check : List.of("host_role", "connection", "os", "sudo", "pghome", "pgdata", "version_path",
                    "disk_space", "disk_homes", "inodes", "port", "server", "recovery", "replication", "long_transactions",
                    "prepared_transactions", "encoding_locale", "target_package", "extensions", "pg_upgrade_check")) {
                assertTrue(r.containsKey(check), host + " has no row '" + check + "'\n" + d.out());
            }
            assertEquals("not checked", r.get("sudo")[0]);
            // no server runs in this lab: the live checks say why they did not run, they do not fail
            assertTrue(r.get("recovery")[1].startsWith("not checked: "), r.get("recovery")[1]);
        }
        assertTrue(d.out().contains("docs/dba-guide.md"), "the report says where to look next");
        assertTrue(d.out().matches("(?s).*pg-master-local\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0.*"), d.out());
        assertTrue(d.out().matches("(?s).*pg-replica-local\\s+: ok=\\d+\\s+changed=0\\s+unreachable=0\\s+failed=0.*"), d.out());
        assertEquals(before, snapshot(tmp), "scouting changed files under the work dir or HOME");
    }

    @Test
    void standaloneTagScoutsTheMasterOnly() {
        Drover d = Drover.run("play", "-i", ROOT.resolve("inventories/local/hosts.yml").toString(),
                "-e", "drover_work_dir=" + work, "--tags", "standalone",
                ROOT.resolve("playbooks/playbook_scouting.yaml").toString());
        assertEquals(0, d.exit(), d.out() + d.err());
        assertEquals(List.of("pg-master-local"), List.copyOf(verdicts(d.out()).keySet()), d.out());
    }

    @Test
    void ansibleReachesTheSameVerdictsAndChangesNothing() throws IOException {
        Map<String, String> before = snapshot(tmp);
        Result a = ansibleScouting();
        assertEquals(0, a.exit(), "ansible-playbook failed\n" + a.out() + a.err());
        assertEquals(before, snapshot(tmp), "ansible-playbook run of scouting changed files under the work dir or HOME");
        Drover d = droverScouting();
        assertEquals(0, d.exit(), d.out() + d.err());
        Map<String, String> ansibleVerdicts = verdicts(a.out());
        assertEquals(2, ansibleVerdicts.size(), a.out());
        assertEquals(ansibleVerdicts, verdicts(d.out()));
        assertEquals(roles(a.out()), roles(d.out()));
        Map<String, Map<String, String>> ansibleStatus = statuses(rows(a.out()));
        assertEquals(ansibleStatus, statuses(rows(d.out())), "per-check status differs between Ansible and Drover");
        // details too, except the ones carrying live numbers (free space and inodes change between runs)
        for (String host : ansibleVerdicts.keySet()) {
            for (var e : rows(a.out()).get(host).entrySet()) {
                if (e.getKey().startsWith("disk_") || e.getKey().equals("inodes")) continue;
                assertEquals(e.getValue()[1], rows(d.out()).get(host).get(e.getKey())[1], host + " " + e.getKey());
            }
        }
    }

    @Test
    void arbiterRunsNoPostgresChecksAndBothToolsAgree() throws IOException {
        Path inv = Files.writeString(tmp.resolve("arbiter.yml"), String.join("\n",
                "all:",
                "  vars:",
                "    pg_version: \"15\"",
                "    pg_target_version: \"15.99\"",
                "  children:",
                "    master:",
                "      hosts:",
                "        pg-master-local:",
                "          ansible_connection: local",
                "          ansible_python_interpreter: \"{{ ansible_playbook_python }}\"",
                "          pg_port: 55432",
                "          pg_data_dir: " + work.resolve("pg-master-local/data/15/data"),
                "    arbiter:",
                "      hosts:",
                "        pg-arbiter-local:",
                "          ansible_connection: local",
                "          ansible_python_interpreter: \"{{ ansible_playbook_python }}\"",
                "          pg_installed_here: false",
                ""));
        List<String> args = List.of("-i", inv.toString(), ROOT.resolve("playbooks/playbook_scouting.yaml").toString());
        List<String> dArgs = new ArrayList<>(List.of("play"));
        dArgs.addAll(args);
        Drover d = Drover.run(dArgs.toArray(String[]::new));
        assertEquals(0, d.exit(), d.out() + d.err());
        Pattern title = Pattern.compile("\"pg-arbiter-local \\(arbiter\\): READY\"");
        assertTrue(title.matcher(d.out()).find(), d.out());
        Map<String, Map<String, String[]>> rows = rowsOf(d.out(), "pg-arbiter-local");
        for (String check : List.of("pghome", "pgdata", "version_path", "disk_space", "port", "recovery", "target_package",
                "pg_upgrade_check")) {
            assertEquals("not checked", rows.get("pg-arbiter-local").get(check)[0], check);
        }
        assertEquals("ok", rows.get("pg-arbiter-local").get("host_role")[0]);
        Result a = ansible(home, args);
        assertEquals(0, a.exit(), a.out() + a.err());
        assertTrue(title.matcher(a.out()).find(), a.out());
        assertEquals(statuses(rowsOf(a.out(), "pg-arbiter-local", "pg-master-local")),
                statuses(rowsOf(d.out(), "pg-arbiter-local", "pg-master-local")));
    }

    /** Like {@link #rows} for any host names. */
    static Map<String, Map<String, String[]>> rowsOf(String out, String... hosts) {
        Map<String, Map<String, String[]>> m = new TreeMap<>();
        Map<String, String[]> current = null;
        for (String line : out.split("\n")) {
            String host = null;
            for (String h : hosts) if (line.contains("\"" + h + " (")) host = h;
            if (host != null) {
                current = new TreeMap<>();
                m.put(host, current);
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (current != null && r.matches()) current.put(r.group(1), new String[] {r.group(2), r.group(3)});
        }
        return m;
    }

    private Drover droverScouting() {
        String oldHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            return Drover.run("play", "-i", ROOT.resolve("inventories/local/hosts.yml").toString(),
                    "-e", "drover_work_dir=" + work, ROOT.resolve("playbooks/playbook_scouting.yaml").toString());
        } finally {
            System.setProperty("user.home", oldHome);
        }
    }

    record Result(int exit, String out, String err) {}

    private Result ansibleScouting() throws IOException {
        return ansible(home, List.of("-i", ROOT.resolve("inventories/local/hosts.yml").toString(),
                "-e", "drover_work_dir=" + work, ROOT.resolve("playbooks/playbook_scouting.yaml").toString()));
    }

    /** ansible-playbook with these arguments, HOME set to home and Ansible's own state kept out of it. */
    static Result ansible(Path home, List<String> args) throws IOException {
        Path ansibleTmp = Files.createTempDirectory("scouting-ansible-tmp");
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("HOME", home.toString());
        // the controller's package dir stays the real one (its default lives under HOME)
        env.put("DROVER_PG_PACKAGES", PgLab.packagesDir().toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        // Ansible's own state (~/.ansible: temp dirs, caches) goes outside HOME, so the snapshot sees only
        // what the playbook does
        env.put("ANSIBLE_HOME", ansibleTmp.resolve("ansible-home").toString());
        env.put("ANSIBLE_LOCAL_TEMP", ansibleTmp.resolve("local").toString());
        env.put("ANSIBLE_REMOTE_TEMP", ansibleTmp.resolve("remote").toString());
        Path out = ansibleTmp.resolve("out.txt");
        Path err = ansibleTmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("ansible-playbook did not finish within 300 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            try (Stream<Path> s = Files.walk(ansibleTmp)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
            }
            return r;
        } catch (IOException e) {
            return fail("cannot run ansible-playbook (CI installs ansible-core 2.14): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** host -> READY / NOT READY, in the order the report printed them. */
    static Map<String, String> verdicts(String out) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        Matcher x = TITLE.matcher(out);
        while (x.find()) m.put(x.group(1), x.group(3));
        return m;
    }

    static Map<String, String> roles(String out) {
        Map<String, String> m = new TreeMap<>();
        Matcher x = TITLE.matcher(out);
        while (x.find()) m.put(x.group(1), x.group(2));
        return m;
    }

    /** host -> check -> {status, detail}, from the debug tables. */
    static Map<String, Map<String, String[]>> rows(String out) {
        Map<String, Map<String, String[]>> m = new TreeMap<>();
        Map<String, String[]> current = null;
        for (String line : out.split("\n")) {
            Matcher t = TITLE.matcher(line);
            if (t.find()) {
                current = new TreeMap<>();
                m.put(t.group(1), current);
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (current != null && r.matches()) current.put(r.group(1), new String[] {r.group(2), r.group(3)});
        }
        return m;
    }

    static Map<String, Map<String, String>> statuses(Map<String, Map<String, String[]>> rows) {
        Map<String, Map<String, String>> m = new TreeMap<>();
        rows.forEach((h, r) -> {
            Map<String, String> s = new TreeMap<>();
            r.forEach((k, v) -> s.put(k, v[0]));
            m.put(h, s);
        });
        return m;
    }

    /** Every path under root with its type, size and mtime. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                m.put(root.relativize(p).toString(), (a.isDirectory() ? "d " : "f ") + a.size() + " " + a.lastModifiedTime());
            }
        }
        assertFalse(m.isEmpty());
        return m;
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("playbooks/playbook_scouting.yaml"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root (playbooks/playbook_scouting.yaml)");
        return p;
    }
}
