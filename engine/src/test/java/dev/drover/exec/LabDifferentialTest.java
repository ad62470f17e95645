package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The differential suite on real hosts: the same playbooks run by ansible-playbook and drover over OpenSSH on five
 * lab hosts (network + mount namespaces), through the agent and agentless. Afterwards no agent process is left on
 * any host.
 */
class LabDifferentialTest {
    private static Lab lab;
    private static Path inventory;

    @BeforeAll
    static void lab(@TempDir Path dir) throws Exception {
        lab = Lab.shared(5);
        List<String> lines = new ArrayList<>(List.of("[db]"));
        for (int i = 1; i <= 5; i++) lines.add("h" + i + " ansible_host=" + lab.host(i).address());
        lines.add("");
        lines.add("[db:vars]");
        // The lab's own connection settings (user, key, known_hosts, ssh args), taken from its inventory.
        boolean inVars = false;
        for (String line : Files.readAllLines(lab.inventory())) {
            if (line.startsWith("[")) inVars = line.equals("[all:vars]");
            else if (inVars && !line.isBlank()) lines.add(line);
        }
        inventory = dir.resolve("lab-db.ini");
        Files.write(inventory, lines);
    }

    /** Every differential case on the standard inventory, plus agentless runs of two of them. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> labCases() {
        return java.util.stream.Stream.concat(
                DifferentialTest.cases().filter(a -> DifferentialTest.inventory((String) a.get()[0]).equals("inventory.ini")),
                java.util.stream.Stream.of(
                        org.junit.jupiter.params.provider.Arguments.of("basics.yml", "-e drover_agent=false"),
                        org.junit.jupiter.params.provider.Arguments.of("run_once.yml", "-e drover_agent=false")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("labCases")
    void sameRecapValuesAndExitCodeAsAnsibleOverSsh(String playbook, String flags) throws Exception {
        List<String> extra = flags == null ? List.of() : List.of(flags.split(flags.contains(";") ? ";" : " "));
        DifferentialTest.Outcome ansible = DifferentialTest.ansible(inventory, playbook, extra, lab.ansibleEnv());
        DifferentialTest.Outcome drover = DifferentialTest.drover(inventory, playbook, extra);
        String context = "\n--- ansible-playbook ---\n" + ansible.output() + "\n--- drover ---\n" + drover.output();
        assertThat(drover.recap()).as("recap" + context).isEqualTo(ansible.recap());
        assertThat(drover.debug()).as("debug output" + context).isEqualTo(ansible.debug());
        assertThat(drover.exit()).as("exit code" + context).isEqualTo(ansible.exit() == 4 ? 3 : ansible.exit());
        for (Lab.Host h : lab.hosts()) {
            // an agent start the run gave up (its tasks were done first) exits once its JVM reads the end of
            // its input: a moment after the run, not never
            Lab.Result ps = lab.exec(h.name(), "i=0; while pgrep -f 'drover-agent-[0-9a-f]' >/dev/null && [ $i -lt 100 ]; do "
                    + "sleep 0.1; i=$((i+1)); done; pgrep -af 'drover-agent-[0-9a-f]' || true");
            assertThat(ps.stdout().trim()).as("agent processes left on " + h.name()).isEmpty();
            Lab.Result tmp = lab.exec(h.name(), "find /tmp /root /var/tmp \\( -name '*drover-tmp*' -o -name '*.drover-ln.*' \\) 2>/dev/null || true");
            assertThat(tmp.stdout().trim()).as("temp files left on " + h.name()).isEmpty();
        }
    }

}
