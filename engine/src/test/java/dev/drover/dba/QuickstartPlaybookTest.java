package dev.drover.dba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * README's main job on a machine with no fleet and no lab: {@code playbook_quickstart.yaml} on the local default
 * inventory (master and replica as two local instances) fetches or finds the packages, installs 15.18, runs
 * scouting and the minor update to 15.20, and says where to look next. CI runs it as root (PostgreSQL then runs
 * as postgres); the work dir and ports are private to the test.
 */
class QuickstartPlaybookTest {
    private Path work;
    private int port;

    @Test
    void quickstartInstallsScoutsAndUpdatesTwoLocalInstances() throws Exception {
        // Not a @TempDir: the postgres user must be able to enter it.
        work = Files.createTempDirectory("drover-quickstart-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        port = 56000 + ThreadLocalRandom.current().nextInt(400) * 2;
        String inv = Lab.repoRoot().resolve("inventories/local/hosts.yml").toString();
        String pb = Lab.repoRoot().resolve("playbooks/playbook_quickstart.yaml").toString();
        Drover run = Drover.run("play", "-i", inv, pb, "-e", "drover_work_dir=" + work, "-e", "local_lab_port=" + port);
        String out = run.out() + run.err();
        assertThat(run.exit()).as(out).isZero();
        assertThat(out).contains("PLAY [Quickstart | PostgreSQL packages on the controller]")
                .contains("Scouting").contains("15.18 -> 15.20: rolling binary update")
                .contains("docs/dba-guide.md").contains("drover runs");
        assertThat(psql("pg-master-local", port, "SELECT split_part(current_setting('server_version'), ' ', 1) || ' ' || pg_is_in_recovery()"))
                .isEqualTo("15.20 false");
        assertThat(psql("pg-replica-local", port + 1, "SELECT split_part(current_setting('server_version'), ' ', 1) || ' ' || pg_is_in_recovery()"))
                .isEqualTo("15.20 true");
        // Again: nothing left to do, nothing changed by install or update.
        Drover again = Drover.run("play", "-i", inv, pb, "-e", "drover_work_dir=" + work, "-e", "local_lab_port=" + port);
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("15.20 -> 15.20: nothing to do");
    }

    private String psql(String host, int p, String sql) throws IOException, InterruptedException {
        Path home = work.resolve(host).resolve("pg/current");
        String cmd = "LD_LIBRARY_PATH=" + home + "/lib/x86_64-linux-gnu " + home + "/bin/psql -XAt -h " + work.resolve(host).resolve("run")
                + " -p " + p + " -d postgres -c \"" + sql + "\"";
        Process proc = new ProcessBuilder(List.of("su", "postgres", "-s", "/bin/sh", "-c", "cd / && " + cmd)).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(out).isZero();
        return out;
    }

    @AfterEach
    void stopAndRemove() throws Exception {
        if (work == null) return;
        for (String host : List.of("pg-master-local", "pg-replica-local")) {
            Path home = work.resolve(host).resolve("pg/current");
            Path data = work.resolve(host).resolve("data/15/data");
            if (Files.exists(data.resolve("postmaster.pid"))) {
                new ProcessBuilder("su", "postgres", "-s", "/bin/sh", "-c", "cd / && LD_LIBRARY_PATH=" + home + "/lib/x86_64-linux-gnu "
                        + home + "/bin/pg_ctl -D " + data + " -m immediate -w stop").inheritIO().start().waitFor(60, TimeUnit.SECONDS);
            }
        }
        new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor(60, TimeUnit.SECONDS);
    }
}
