package dev.drover.dba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine regression found while writing the scouting checks: with {@code failed_when: false} Drover dropped
 * {@code msg} from the registered result. Ansible keeps it ("non-zero return code" for command, "Timeout when
 * waiting for ..." for wait_for). Checked against ansible-playbook as the oracle.
 */
class FailedWhenMsgRegressionTest {

    @Test
    void failedWhenFalseKeepsTheModuleMessage(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n"
                + "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n");
        Path pb = Files.writeString(dir.resolve("pb.yml"), String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  tasks:",
                "    - command: \"false\"",
                "      register: r",
                "      failed_when: false",
                "    - debug:",
                "        msg: \"msg=[{{ r.msg | default('UNDEFINED') }}] failed={{ r.failed }}\"",
                ""));
        String expected = "\"msg\": \"msg=[non-zero return code] failed=False\"";
        Drover d = Drover.run("play", "-i", inv.toString(), pb.toString());
        assertEquals(0, d.exit(), d.out() + d.err());
        assertTrue(d.out().contains(expected), d.out());
        ScoutingPlaybookTest.Result a = ScoutingPlaybookTest.ansible(Files.createDirectories(dir.resolve("home")),
                List.of("-i", inv.toString(), pb.toString()));
        assertEquals(0, a.exit(), a.out() + a.err());
        assertTrue(a.out().contains(expected), "the oracle disagrees with this test:\n" + a.out());
    }
}
