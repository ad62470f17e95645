package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code vars:} of an include_tasks / include_role task reach the included tasks and nested includes, with and
 * without a loop (they were dropped: "undefined variable"). Values compared with ansible-playbook's; the recap is
 * not, because Drover counts each include_role as ok where Ansible does not (a separate difference).
 */
class IncludeVarsKeywordTest {
    @Test
    void includeVarsReachTheIncludedTasksAsInAnsible() throws Exception {
        DifferentialTest.Outcome drover = DifferentialTest.drover("include_vars_keyword.yml", List.of());
        DifferentialTest.Outcome ansible = DifferentialTest.ansible("include_vars_keyword.yml", List.of());
        assertThat(drover.exit()).as(drover.output()).isZero();
        assertThat(String.join("\n", drover.debug())).as(drover.output()).contains("tasks step prepare by h1", "role step upgrade on h2",
                "detail of upgrade ", "role step finish on h1", "detail of finish finish");
        assertThat(drover.debug()).as("\n--- ansible ---\n" + ansible.output() + "\n--- drover ---\n" + drover.output())
                .isEqualTo(ansible.debug());
    }
}
