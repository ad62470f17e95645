package dev.drover.dba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The minor-update tests' view of a {@link PgLab} (a private lab, its inventory, install through
 * {@code playbook_install.yaml}): a 100k-row table, the minor update, and psql from the controller (this
 * machine's client over TCP, never used by the playbooks) so that probes can query every 100 ms without a
 * process inside the host per query. The inventory lets the controller's address in with trust.
 */
final class PgMinorCluster implements AutoCloseable {
    static final String CLIENT = "/usr/lib/postgresql/15/bin/psql";

    final PgLab pgLab;
    final Lab lab;
    final List<String> dbHosts;

    private PgMinorCluster(PgLab pgLab, List<String> dbHosts) {
        this.pgLab = pgLab;
        this.lab = pgLab.lab();
        this.dbHosts = dbHosts;
    }

    /** labhost1 master, labhost2 replica, labhost3 arbiter; or labhost1 alone when {@code standalone}. */
    static PgMinorCluster start(String name, boolean standalone) {
        PgLab pg = PgLab.start(name, standalone ? 1 : 3);
        try {
            String controller = pg.lab().host("labhost1").address().replaceAll("\\.\\d+$", ".1");
            Files.writeString(pg.inventory().resolve("group_vars/all.yml"), "pg_hba_extra:\n"
                    + "  - { type: host, database: all, user: all, address: " + controller + "/32, method: trust }\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            pg.close();
            throw new UncheckedIOException(e);
        }
        return new PgMinorCluster(pg, standalone ? List.of("labhost1") : List.of("labhost1", "labhost2"));
    }

    @Override
    public void close() {
        pgLab.close();
    }

    /** No PostgreSQL left on the database hosts (server killed, homes and data removed). */
    void wipe() {
        for (String h : dbHosts) {
            lab.exec(h, "cd /; pkill -9 -u postgres -x postgres; sleep 0.3; rm -rf /opt/pg /var/lib/pg /run/postgresql/.s.PGSQL.*").orThrow();
        }
    }

    /** A fresh 15.18 install with a 100k-row table {@code t} on the master; returns its checksum. */
    String installFresh(String... extra) {
        wipe();
        PgLab.Run install = pgLab.install(extra);
        assertThat(install.exit()).as(install.out() + install.err()).isZero();
        pgLab.createTable("labhost1", "t", 100_000);
        psql("labhost1", "CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
        if (dbHosts.size() > 1) waitReplicaHas("labhost2", 100000);
        return checksum("labhost1");
    }

    Drover minorUpdate(String... extra) {
        List<String> args = new ArrayList<>(List.of("play", "-i", pgLab.inventory().toString(),
                Lab.repoRoot().resolve("playbooks/playbook_minor_update.yaml").toString(), "-e", "pg_target_version=15.x"));
        args.addAll(List.of(extra));
        return Drover.run(args.toArray(String[]::new));
    }

    /**
     * After a recovery: every database node back on {@code version}, the replica streaming, the table's checksum
     * {@code checksum} everywhere, no catalog data of the in-place path, and a row written on the master reaching
     * the replica.
     */
    void assertOriginal(String version, String checksum) {
        for (String h : dbHosts) {
            assertThat(version(h)).as("version of " + h).isEqualTo(version);
            assertThat(checksum(h)).as("checksum on " + h).isEqualTo(checksum);
            assertThat(psql(h, "SELECT count(*) FROM pg_proc WHERE proname = 'drover_catalog_data_version'"))
                    .as("catalog data on " + h).isEqualTo("0");
        }
        assertThat(role("labhost1")).isEqualTo("f");
        if (dbHosts.size() < 2) return;
        assertThat(role("labhost2")).isEqualTo("t streaming");
        psql("labhost1", "INSERT INTO ticks DEFAULT VALUES");
        String n = psql("labhost1", "SELECT count(*) FROM ticks");
        long end = System.currentTimeMillis() + 20_000;
        while (!n.equals(query("labhost2", "SELECT count(*) FROM ticks").out()) && System.currentTimeMillis() < end) {
            sleep(200);
        }
        assertThat(psql("labhost2", "SELECT count(*) FROM ticks")).isEqualTo(n);
    }

    String checksum(String host) {
        return pgLab.checksum(host, "t");
    }

    /** server_version without the distribution's suffix, e.g. 15.18. */
    String version(String host) {
        return pgLab.version(host);
    }

    /** "f" on the master, "t streaming" on a streaming replica. */
    String role(String host) {
        return psql(host, "SELECT pg_is_in_recovery()::text || coalesce((SELECT ' ' || status FROM pg_stat_wal_receiver), '')")
                .replace("false", "f").replace("true", "t");
    }

    void waitReplicaHas(String host, int rows) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String got = "";
        while (System.nanoTime() < end) {
            Query q = query(host, "SELECT count(*) FROM t");
            got = q.out;
            if (q.ok && got.equals(String.valueOf(rows))) return;
            sleep(200);
        }
        throw new AssertionError(host + " has " + got + " rows in t, expected " + rows);
    }

    String psql(String host, String sql) {
        Query q = query(host, sql);
        if (!q.ok) throw new AssertionError("psql on " + host + " failed: " + sql + "\n" + q.out);
        return q.out;
    }

    record Query(boolean ok, String out) {}

    Query query(String host, String sql) {
        return query(host, "postgres", sql);
    }

    Query query(String host, String db, String sql) {
        try {
            ProcessBuilder pb = new ProcessBuilder(CLIENT, "-XAtq", "-v", "ON_ERROR_STOP=1", "-h", lab.host(host).address(),
                    "-p", "5432", "-U", "postgres", "-d", db, "-c", sql)
                    .redirectErrorStream(true);
            pb.environment().put("PGCONNECT_TIMEOUT", "2");
            Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean done = p.waitFor(10, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            return new Query(done && p.exitValue() == 0, out);
        } catch (IOException e) {
            return new Query(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Query(false, "interrupted");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
