package dev.drover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Lab hosts can run real PostgreSQL side by side: same port on two hosts, private data dirs, sockets and shared
 * memory, reachable from each other by name (what replication setups need).
 */
class LabPostgresTest {

    private static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final int PORT = 55432;

    @Test
    void twoHostsRunPostgresOnTheSamePortAndReachEachOther() {
        Lab lab = Lab.shared(3, "labhost3");
        String data = "/var/lib/postgresql/lab-" + UUID.randomUUID();
        List<String> hosts = List.of("labhost1", "labhost2");
        String[] octets = lab.host(1).address().split("\\.");
        String labNet = octets[0] + "." + octets[1] + "." + octets[2] + ".0/24";
        try {
            for (String h : hosts) {
                // As in a playbook: a cluster owned by postgres, listening on the host's address.
                lab.ssh(h, "set -e; cd /; install -d -o postgres -g postgres " + data
                        + "; su postgres -c '" + BIN + "/initdb -D " + data + " -A trust >/dev/null'"
                        + "; echo \"listen_addresses = '*'\" >> " + data + "/postgresql.conf"
                        + "; echo 'host all all " + labNet + " trust' >> " + data + "/pg_hba.conf"
                        + "; su postgres -c '" + BIN + "/pg_ctl -D " + data + " -o \"-p " + PORT + "\" -l " + data
                        + "/log -w -t 60 start >/dev/null'").orThrow();
            }
            // Each host's server answers as itself, from the other host.
            String from2 = lab.exec("labhost2", "cd / && su postgres -c \"psql -h labhost1 -p " + PORT
                    + " -Atc 'select inet_server_addr()'\"").orThrow().stdout().trim();
            assertThat(from2).isEqualTo(lab.host(1).address());
            String from1 = lab.exec("labhost1", "cd / && su postgres -c \"psql -h labhost2 -p " + PORT
                    + " -Atc 'select inet_server_addr()'\"").orThrow().stdout().trim();
            assertThat(from1).isEqualTo(lab.host(2).address());
            // Unix sockets in each host's own /run/postgresql; the data dir is absent elsewhere.
            assertThat(lab.exec("labhost1", "ls -A /run/postgresql").orThrow().stdout()).contains(".s.PGSQL." + PORT);
            assertThat(lab.exec("labhost3", "ls -A /run/postgresql").orThrow().stdout()).doesNotContain(".s.PGSQL." + PORT);
            assertThat(lab.exec("labhost3", "test -e " + data).exitCode()).isEqualTo(1);
            // Each server sees only its own host's processes.
            assertThat(lab.exec("labhost1", "pgrep -c -u postgres -x postgres").orThrow().stdout().trim())
                    .isEqualTo(lab.exec("labhost2", "pgrep -c -u postgres -x postgres").orThrow().stdout().trim());
        } finally {
            for (String h : hosts) {
                lab.exec(h, "cd / && su postgres -c '" + BIN + "/pg_ctl -D " + data + " -m immediate stop' >/dev/null 2>&1; rm -rf " + data);
            }
        }
        for (String h : hosts) {
            assertThat(lab.exec(h, "pgrep -u postgres -x postgres").exitCode()).as("postgres left on " + h).isEqualTo(1);
        }
    }
}
