package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-wide error aggregate the seed installer guards its roles with ({@code when: not update_errors.aggregate}),
 * kept by the engine without a sync role: every host sees a failure at the next task boundary.
 */
class UpdateErrorsTest {
    @Test
    void failuresReachEveryHostAndGuardLaterTasks() {
        DifferentialTest.Outcome out = DifferentialTest.drover("update_errors.yml", List.of("-e", "drover_agent=false"));
        assertThat(out.output()).as(out.output())
                .contains("\"msg\": \"errors on ['h2']\"")
                .doesNotContain("\"msg\": \"updating\"")
                .contains("in rescue")
                .containsPattern("\"msg\": \"1 \\['fail'\\] \\['\\S*update_errors.yml:5:7'\\] \\['h2'\\] True\"");
        assertThat(out.exit()).isEqualTo(2);
    }

    @Test
    void theAggregateIsEmptyWhenNothingFailed() {
        DifferentialTest.Outcome out = DifferentialTest.drover("update_errors.yml",
                List.of("-e", "drover_agent=false", "-l", "h1"));
        assertThat(out.output()).as(out.output()).contains("\"msg\": \"errors on []\"").contains("\"msg\": \"updating\"")
                .contains("\"msg\": \"0 [] [] [] True\"");
    }
}
