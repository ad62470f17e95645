package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where Drover deliberately differs from ansible-core 2.14 (the version Debian ships), each choice is asserted
 * here and written down in docs/coming-from-ansible.md.
 */
class DocumentedChoicesTest {

    /**
     * any_errors_fatal inside a block with rescue: every host of the batch goes to rescue, as Ansible documents since
     * 2.17 (ansible-documentation#1815); 2.14 rescued only the failing host and let the others carry on.
     */
    @Test
    void anyErrorsFatalSendsEveryHostToRescue() throws Exception {
        DifferentialTest.Outcome drover = DifferentialTest.drover("fatal_rescue.yml", List.of());
        assertThat(drover.exit()).isZero();
        assertThat(drover.debug()).as(drover.output())
                .noneMatch(d -> d.contains("not reached"))
                .filteredOn(d -> d.contains("rescue on")).hasSize(5);
        assertThat(drover.recap().get("h3")).contains("rescued=1").contains("failed=0");
    }

    /** A value that is one expression keeps its native type: debug prints 21, where ansible-core 2.14 prints "21". */
    @Test
    void loneExpressionsKeepTheirNativeType() {
        DifferentialTest.Outcome drover = DifferentialTest.drover("basics.yml", List.of("-l", "h1"));
        assertThat(drover.output()).contains("\"msg\": 21\n").doesNotContain("\"msg\": \"21\"");
    }

    /** ansible-playbook exits 4 for unreachable hosts, the same code as a parse error; Drover exits 3. */
    @Test
    void unreachableHostsExitWithThreeNotFour() throws Exception {
        DifferentialTest.Outcome ansible = DifferentialTest.ansible("unreachable.yml", List.of());
        DifferentialTest.Outcome drover = DifferentialTest.drover("unreachable.yml", List.of());
        assertThat(ansible.exit()).isEqualTo(4);
        assertThat(drover.exit()).isEqualTo(3);
    }
}
