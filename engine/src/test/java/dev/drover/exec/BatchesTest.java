package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Expectations from Ansible's playbooks_strategies.rst and playbook_executor._get_serialized_batches. */
class BatchesTest {
    private static final Position P = new Position("p.yml", 1, 1);
    private static final List<String> TEN = List.of("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10");

    private static List<Integer> sizes(Object serial) {
        return Batches.split(TEN, serial, P).stream().map(List::size).toList();
    }

    @Test
    void serialForms() {
        assertThat(sizes(null)).containsExactly(10);
        assertThat(sizes(3)).containsExactly(3, 3, 3, 1);
        assertThat(sizes("30%")).containsExactly(3, 3, 3, 1);
        assertThat(sizes("5%")).as("a batch has at least one host").containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(sizes(List.of(1, 5, "20%"))).as("the last value repeats").containsExactly(1, 5, 2, 2);
        assertThat(sizes(0)).containsExactly(10);
        assertThat(Batches.split(TEN, 4, P).get(0)).containsExactly("h1", "h2", "h3", "h4");
    }

    @Test
    void badSerialIsABadInputError() {
        assertThatThrownBy(() -> sizes("many")).isInstanceOf(UserError.class)
                .hasMessageContaining("serial: expected an integer, a percentage");
    }

    @Test
    void maxFailPercentageMustBeExceeded() {
        assertThat(Batches.exceeds(2, 4, 49, P)).isTrue();
        assertThat(Batches.exceeds(2, 4, 50, P)).isFalse();
        assertThat(Batches.exceeds(0, 4, 0, P)).isFalse();
        assertThat(Batches.exceeds(1, 4, 0, P)).isTrue();
        assertThat(Batches.exceeds(5, 4, null, P)).isFalse();
    }

    @Test
    void orders() {
        List<String> hosts = List.of("b", "a", "c");
        assertThat(Batches.order(hosts, null, P, new Random(1))).containsExactly("b", "a", "c");
        assertThat(Batches.order(hosts, "reverse_inventory", P, new Random(1))).containsExactly("c", "a", "b");
        assertThat(Batches.order(hosts, "sorted", P, new Random(1))).containsExactly("a", "b", "c");
        assertThat(Batches.order(hosts, "reverse_sorted", P, new Random(1))).containsExactly("c", "b", "a");
        assertThat(Batches.order(hosts, "shuffle", P, new Random(1))).containsExactlyInAnyOrder("a", "b", "c");
        assertThatThrownBy(() -> Batches.order(hosts, "random", P, new Random(1))).isInstanceOf(UserError.class);
    }
}
