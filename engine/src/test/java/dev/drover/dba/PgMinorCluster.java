package dev.drover.dba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL on the lab for the minor-update tests: an inventory (the lab's hosts and groups, plus trust
 * access from the controller for the test's own psql), install through {@code playbook_install.yaml}, and
 * psql from the controller (this machine's client, never used by the playbooks) to check versions and data.
 */
final class PgMinorCluster {
    static final String CLIENT = "/usr/lib/postgresql/15/bin/psql";

    final Lab lab;
    final Path inventory;
    final List<String> dbHosts;

    private PgMinorCluster(Lab lab, Path inventory, List<String> dbHosts) {
        this.lab = lab;
        this.inventory = inventory;
        this.dbHosts = dbHosts;
    }

    /** labhost1 master, labhost2 replica, labhost3 arbiter (no Java), or only labhost1 when {@code standalone}. */
    static PgMinorCluster create(Path dir, boolean standalone) {
        Lab lab = Lab.shared(3, "labhost3");
        try {
            String lines = Files.readString(lab.inventory());
            String vars = lines.substring(lines.indexOf("[all:vars]"), lines.indexOf("\n[", lines.indexOf("[all:vars]") + 1));
            StringBuilder ini = new StringBuilder();
            ini.append("[master]\nlabhost1 ansible_host=").append(lab.host("labhost1").address()).append('\n');
            if (!standalone) {
                ini.append("[replica]\nlabhost2 ansible_host=").append(lab.host("labhost2").address()).append('\n');
                ini.append("[arbiter]\nlabhost3 ansible_host=").append(lab.host("labhost3").address()).append('\n');
            }
            ini.append(vars).append('\n');
            Path inv = dir.resolve("inventory");
            Files.createDirectories(inv.resolve("group_vars"));
            Files.writeString(inv.resolve("hosts.ini"), ini.toString());
            String controller = lab.host("labhost1").address().replaceAll("\\.\\d+$", ".1");
            Files.writeString(inv.resolve("group_vars/all.yml"), "pg_replication_password: pgminor-lab-replication\npg_hba_extra:\n"
                    + "  - { type: host, database: all, user: all, address: " + controller + "/32, method: trust }\n");
            // The INI file itself: in a directory inventory, Ansible (and Drover) skip *.ini files.
            return new PgMinorCluster(lab, inv.resolve("hosts.ini"), standalone ? List.of("labhost1") : List.of("labhost1", "labhost2"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No PostgreSQL left on the database hosts (server killed, homes and data removed). */
    void wipe() {
        for (String h : List.of("labhost1", "labhost2")) {
            lab.exec(h, "cd /; pkill -9 -u postgres -x postgres; sleep 0.3; rm -rf /opt/pg /var/lib/pg /run/postgresql/.s.PGSQL.*").orThrow();
        }
    }

    /** A fresh 15.18 install with a 100k-row table {@code t} on the master; returns its checksum. */
    String installFresh(String... extra) {
        wipe();
        List<String> args = new ArrayList<>(List.of("play", "-i", inventory.toString(), repo("playbooks/playbook_install.yaml")));
        args.addAll(List.of(extra));
        Drover install = Drover.run(args.toArray(String[]::new));
        assertThat(install.exit()).as(install.out() + install.err()).isZero();
        psql("labhost1", "CREATE TABLE t (id int PRIMARY KEY, v text); "
                + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 100000) g; "
                + "CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
        if (dbHosts.size() > 1) waitReplicaHas("labhost2", 100000);
        return checksum("labhost1");
    }

    Drover minorUpdate(String... extra) {
        List<String> args = new ArrayList<>(List.of("play", "-i", inventory.toString(), repo("playbooks/playbook_minor_update.yaml"),
                "-e", "pg_target_version=15.x"));
        args.addAll(List.of(extra));
        return Drover.run(args.toArray(String[]::new));
    }

    static String repo(String rel) {
        return Lab.repoRoot().resolve(rel).toString();
    }

    String checksum(String host) {
        return psql(host, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM t");
    }

    /** server_version without the distribution's suffix, e.g. 15.18. */
    String version(String host) {
        return psql(host, "SELECT split_part(current_setting('server_version'), ' ', 1)");
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
