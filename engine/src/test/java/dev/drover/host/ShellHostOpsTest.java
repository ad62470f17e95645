package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.LocalConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellHostOpsTest extends HostOpsContract {
    @Override
    protected HostOps newHost() {
        return new ShellHostOps(new LocalConnection("localhost"));
    }

    @Test
    void reportsAgentlessMode() {
        assertThat(ops.mode()).isEqualTo("agentless");
    }

    @Test
    void parsesFactsFromCannedOutput() {
        String out = String.join("\n", "@@hostname", "db1", "@@fqdn", "db1.example.com", "@@uname", "Linux",
                "6.1.0", "#1 SMP", "x86_64", "@@osrelease", "ID=rocky", "ID_LIKE=\"rhel centos fedora\"",
                "VERSION_ID=\"9.3\"", "@@nproc", "4", "@@meminfo", "MemTotal:       8000000 kB",
                "@@route", "default via 10.0.0.1 dev eth0 proto dhcp", "@@addr",
                "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0", "@@df",
                "Filesystem Type 1024-blocks Used Available Capacity Mounted on",
                "/dev/sda1 xfs 1000 100 900 10% /var/lib/pgsql data", "@@mounts",
                "/dev/sda1 /var/lib/pgsql\\040data xfs rw,noatime 0 0", "@@env", "A=1");
        Map<String, Object> f = HostFacts.parse(out);
        assertThat(f).containsEntry("hostname", "db1").containsEntry("domain", "example.com")
                .containsEntry("distribution", "Rocky").containsEntry("os_family", "RedHat")
                .containsEntry("distribution_major_version", "9").containsEntry("processor_vcpus", 4)
                .containsEntry("memtotal_mb", 7812L);
        assertThat(f.get("default_ipv4")).isEqualTo(Map.of("gateway", "10.0.0.1", "interface", "eth0",
                "address", "10.0.0.5", "prefix", "24", "netmask", "255.255.255.0", "alias", "eth0"));
        assertThat(f.get("mounts")).isEqualTo(List.of(Map.of("mount", "/var/lib/pgsql data", "device", "/dev/sda1",
                "fstype", "xfs", "options", "rw,noatime", "size_total", 1024000L, "size_available", 921600L,
                "block_size", 1024)));
        assertThat(f.get("env")).isEqualTo(Map.of("A", "1"));
    }
}
