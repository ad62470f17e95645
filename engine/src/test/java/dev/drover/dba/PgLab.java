package dev.drover.dba;

import dev.drover.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Real PostgreSQL on lab hosts, for the DBA playbook tests: a private lab ({@link Lab#start}) of N hosts
 * ({@code labhost1} master, {@code labhost2..N-1} replicas, {@code labhostN} arbiter when N ≥ 3), an inventory
 * directory (the lab's INI inventory as {@code hosts} plus {@code group_vars/all.yml} with the variables given), runs of the
 * real playbooks through {@code dev.drover.cli.Main}, and helpers to query a host's server as {@code postgres}.
 *
 * <pre>{@code
 * try (PgLab pg = PgLab.start("minor", 3, Map.of("pg_version", "15.18"))) {
 *     pg.install().orThrow();                          // playbooks/playbook_install.yaml, cluster
 *     pg.createTable("labhost1", "t", 100_000);
 *     String before = pg.checksum("labhost1", "t");
 *     pg.play("playbooks/playbook_minor_update.yaml", "-e", "pg_target_version=15.20").orThrow();
 *     assertEquals(before, pg.checksum("labhost2", "t"));
 *     assertEquals("15.20", pg.version("labhost1"));
 * }
 * }</pre>
 *
 * <p>The helpers use the layout's defaults ({@code /opt/pg/current}, socket {@code /run/postgresql}, port 5432)
 * unless the variables given override {@code pg_homes_dir}, {@code pg_socket_dir} or {@code pg_port}. Needs root
 * (the lab) and the controller's package dir ({@code bin/pg-packages}); otherwise it throws, so tests fail
 * rather than skip. {@link #close} takes the lab down, which ends every process on its hosts.
 */
public final class PgLab implements AutoCloseable {

    /** A finished playbook run. */
    public record Run(int exit, String out, String err) {
        public Run orThrow() {
            if (exit != 0) throw new IllegalStateException("drover exited " + exit + "\n" + out + err);
            return this;
        }

        /** {@code changed=N} of the host's recap line, or -1 when the host has none. */
        public int changed(String host) {
            var m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(host) + "\\s+: ok=\\d+\\s+changed=(\\d+)").matcher(out);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private final Lab lab;
    private final Path inventory;
    private final Map<String, Object> vars;

    private PgLab(Lab lab, Path inventory, Map<String, Object> vars) {
        this.lab = lab;
        this.inventory = inventory;
        this.vars = vars;
    }

    /**
     * A lab of {@code hosts} hosts, its inventory in {@code engine/target/pglab-<name>} (one name per test class, so labs of
     * tests running at the same time do not collide), with {@code vars} in the inventory's group_vars/all.yml.
     */
    public static PgLab start(String name, int hosts, Map<String, Object> vars) {
        Path root = Lab.repoRoot();
        Path state = root.resolve("engine/target/pglab-" + name).toAbsolutePath();
        // the lab's own state beside this checkout's default one: never under /tmp or /root, which the hosts
        // replace (a CI clone lives there), so lab.sh accepts it
        Path labState = Lab.defaultStateDir().resolveSibling(Lab.defaultStateDir().getFileName() + "-pglab-" + name);
        Lab lab = Lab.start(labState, hosts);
        try {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("pg_version", "15.18");
            all.put("pg_replication_password", "pglab-replication");
            all.putAll(vars);
            Path inv = Files.createDirectories(state.resolve("inventory"));
            Files.copy(lab.inventory(), inv.resolve("hosts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(inv.resolve("group_vars"));
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(inv.resolve("group_vars/all.yml"),
                    "# Written by dev.drover.dba.PgLab for this lab.\n" + new Yaml(o).dump(all));
            return new PgLab(lab, inv, Map.copyOf(all));
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public static PgLab start(String name, int hosts) {
        return start(name, hosts, Map.of());
    }

    /** The controller's package dir as bin/pg-packages and roles/pg_layout find it: DROVER_PG_PACKAGES, else the cache. */
    public static Path packagesDir() {
        String env = System.getenv("DROVER_PG_PACKAGES");
        if (env != null && !env.isBlank()) return Path.of(env);
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getenv("HOME"), ".cache");
        return base.resolve("drover/pg-packages");
    }

    public Lab lab() {
        return lab;
    }

    /** The inventory directory ({@code hosts}: INI, {@code group_vars/all.yml}). */
    public Path inventory() {
        return inventory;
    }

    /** {@code drover play -i inventory() <repo>/playbook ARGS}. */
    public Run play(String playbook, String... args) {
        List<String> a = new ArrayList<>(List.of("play", "-i", inventory.toString()));
        a.addAll(Arrays.asList(args));
        a.add(lab.repo().resolve(playbook).toString());
        Drover d = Drover.run(a.toArray(String[]::new));
        return new Run(d.exit(), d.out(), d.err());
    }

    /** The install playbook (cluster layout unless {@code --tags standalone} is given). */
    public Run install(String... args) {
        return play("playbooks/playbook_install.yaml", args);
    }

    /** Runs SQL (stdin) with psql as postgres over the host's unix socket; the output ({@code -XAtq}), trimmed. */
    public String psql(String host, String db, String sql) {
        Lab.Result r = psqlResult(host, db, sql);
        if (!r.ok()) throw new IllegalStateException("psql on " + host + " failed: " + sql + "\n" + r.describe());
        return r.stdout().trim();
    }

    public String psql(String host, String sql) {
        return psql(host, "postgres", sql);
    }

    /** As {@link #psql(String, String, String)}, without throwing: for a server that may be down. */
    public Lab.Result psqlResult(String host, String db, String sql) {
        String home = vars.getOrDefault("pg_homes_dir", "/opt/pg") + "/current";
        String line = "cd / && su postgres -c 'LD_LIBRARY_PATH=" + home + "/lib/x86_64-linux-gnu " + home + "/bin/psql -XAtq"
                + " -v ON_ERROR_STOP=1 -h " + vars.getOrDefault("pg_socket_dir", "/run/postgresql") + " -p "
                + vars.getOrDefault("pg_port", 5432) + " -d " + db + "'";
        return lab.run(List.of("bash", lab.script().toString(), "exec", lab.host(host).name(), "sh", "-c", line),
                Map.of(), sql.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(2));
    }

    /** A table {@code name(id int primary key, payload text)} with {@code rows} rows, on the host's server. */
    public void createTable(String host, String name, int rows) {
        psql(host, "CREATE TABLE " + name + " AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, " + rows
                + ") g;\nALTER TABLE " + name + " ADD PRIMARY KEY (id);");
    }

    /** md5 over every row of the table in id order. */
    public String checksum(String host, String table) {
        return psql(host, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t;");
    }

    /** {@code server_version} of the running server, e.g. {@code 15.18}. */
    public String version(String host) {
        return psql(host, "SHOW server_version;").split("\\s")[0];
    }

    /** {@code pg_is_in_recovery()}: true on a standby. */
    public boolean inRecovery(String host) {
        return Boolean.parseBoolean(psql(host, "SELECT pg_is_in_recovery()::text;"));
    }

    /** Waits until the replica has replayed everything the master has written (or fails after a minute). */
    public void awaitReplay(String master, String replica) throws InterruptedException {
        String lsn = psql(master, "SELECT pg_current_wal_lsn();");
        for (int i = 0; i < 120; i++) {
            if (psql(replica, "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn;").equals("t")) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException(replica + " did not replay up to " + lsn + " in a minute");
    }

    @Override
    public void close() {
        lab.close();
    }
}
