package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A long task says, while it runs, which hosts it is still waiting for. */
class ProgressTest {
    @Test
    void longTasksReportTheHostsStillRunning() {
        System.setProperty("drover.progressInterval", "1");
        DifferentialTest.Outcome out;
        try {
            out = DifferentialTest.drover("slow.yml", List.of("-e", "drover_agent=false"));
        } finally {
            System.clearProperty("drover.progressInterval");
        }
        assertThat(out.exit()).isZero();
        assertThat(out.output()).containsPattern("\\.\\.\\. still running after \\ds: \\[h2\\] command");
        assertThat(out.output()).doesNotContain("still running after 0s");
    }
}
