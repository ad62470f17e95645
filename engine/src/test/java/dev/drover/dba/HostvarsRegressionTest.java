package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine regression found while writing the scouting report: any use of {@code hostvars[host].x} failed
 * with "recursive loop detected in template" (building hostvars' entry set hashed each host's lazy view,
 * which contains hostvars again). Ansible prints the value.
 */
class HostvarsRegressionTest {

    @Test
    void hostvarsOfAHostCanBeRead(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts.yml"),
                "all:\n  hosts:\n    h1:\n      ansible_connection: local\n      color: blue\n"
                        + "    h2:\n      ansible_connection: local\n      color: red\n");
        Path pb = Files.writeString(dir.resolve("pb.yml"), String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - set_fact:",
                "        seen: \"{{ color }}-fact\"",
                "    - debug:",
                "        msg: \"{{ item }}={{ hostvars[item].seen }}/{{ _v }}\"",
                "      loop: \"{{ ansible_play_hosts_all }}\"",
                "      run_once: true",
                "      vars:",
                "        _v: \"{{ hostvars[item]['color'] }}\"",
                ""));
        Drover d = Drover.run("play", "-i", inv.toString(), pb.toString());
        assertEquals(0, d.exit(), d.out() + d.err());
        assertTrue(d.out().contains("\"msg\": \"h1=blue-fact/blue\""), d.out());
        assertTrue(d.out().contains("\"msg\": \"h2=red-fact/red\""), d.out());
    }
}
