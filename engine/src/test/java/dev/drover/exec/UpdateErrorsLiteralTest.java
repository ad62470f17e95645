package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * update_errors is data: an aggregate entry whose task name is an untemplated {@code "fail at {{ step }}"} (a
 * variable of the include that is gone by recovery time) or whose message quotes template syntax must not be
 * templated again when a recovery play reads {@code update_errors}. It was, and recovery itself failed with
 * "undefined variable 'step'".
 */
class UpdateErrorsLiteralTest {
    @Test
    void recoveryReadsAnAggregateHoldingTemplateSyntax() {
        DifferentialTest.Outcome out = DifferentialTest.drover("update_errors_literal.yml", List.of("-e", "drover_agent=false"));
        assertThat(out.output()).doesNotContain("undefined variable")
                .contains("first failure: fail at {{ step }} / failed at after_start; the template was {{ step }}");
        assertThat(out.exit()).as(out.output()).isEqualTo(6);
    }
}
