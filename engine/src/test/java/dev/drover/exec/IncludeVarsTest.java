package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code vars:} on an {@code include_tasks} task reach the included tasks (as in Ansible), in their names and
 * bodies, also inside a block; they were dropped, so an included file parameterised that way failed with
 * "undefined variable".
 */
class IncludeVarsTest {
    @Test
    void includeVarsReachTheIncludedTasks() {
        DifferentialTest.Outcome out = DifferentialTest.drover("include_vars.yml", List.of("-e", "drover_agent=false"));
        assertThat(out.exit()).as(out.output()).isZero();
        assertThat(out.output()).contains("\"msg\": \"step=plain other=none\"")
                .contains("\"msg\": \"step=in a block h1 other=none\"")
                .contains("\"msg\": \"step=lower other=kept\"");
    }
}
