package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code TASK [...]} banners as ansible-playbook prints them: a name with an expression is templated with the
 * first host's variables, including an include's {@code vars:} (the PostgreSQL roles' "Minor update | stop the
 * server" used to show "{{ _pg_action }}"), and a name that cannot be templated is shown as written.
 */
class TaskBannerTest {

    @Test
    void bannersMatchAnsiblePlaybook() throws Exception {
        DifferentialTest.Outcome ansible = DifferentialTest.ansible("banners.yml", List.of());
        DifferentialTest.Outcome drover = DifferentialTest.drover("banners.yml", List.of());
        List<String> expected = banners(ansible.output());
        assertThat(expected).as("ansible-playbook ran: " + ansible.output()).contains(
                "TASK [plain play name]", "TASK [step | stop the server]", "TASK [step | start the server]");
        assertThat(banners(drover.output())).as(drover.output()).isEqualTo(expected);
        assertThat(drover.exit()).isZero();
    }

    private static List<String> banners(String output) {
        return output.lines().filter(l -> l.startsWith("TASK [")).map(l -> l.replaceAll("\\s*\\*+$", "")).toList();
    }
}
