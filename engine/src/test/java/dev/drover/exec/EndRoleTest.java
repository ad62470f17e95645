package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meta: end_role} (ansible-core 2.18; Debian's 2.14 lacks it): the rest of the role is skipped on that host only. */
class EndRoleTest {
    @Test
    void endRoleSkipsTheRestOfTheRoleOnThatHostOnly() {
        DifferentialTest.Outcome out = DifferentialTest.drover("end_role.yml", List.of("-e", "drover_agent=false"));
        assertThat(out.exit()).as(out.output()).isZero();
        assertThat(out.output()).contains("role goes on on h2").doesNotContain("role goes on on h1")
                .contains("after the role on h1").contains("after the role on h2");
    }
}
