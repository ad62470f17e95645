package dev.drover.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.error.Position;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine-built data (groups, host lists, update_errors) is read as it is: never scanned, never templated. */
class LiteralTest {
    private final Templar templar = new Templar(Path.of("."));
    private final Position where = new Position("t.yml", 1, 1);

    @Test
    void literalValuesAreNotTemplatesEvenWhenTheyContainBraces() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) hosts.add("db" + i);
        hosts.add("{{ not_a_variable }}");
        assertThat(Templar.isTemplated(hosts)).isTrue();
        assertThat(Templar.isTemplated(Templar.literal(hosts))).isFalse();
        Map<String, Object> errors = Templar.literal(Map.of("aggregate", Templar.literal(List.of(Map.of("msg", "{{ x }} is undefined")))));
        assertThat(Templar.isTemplated(errors)).isFalse();

        Vars vars = Vars.of(Map.of("groups", Templar.literal(Map.of("all", Templar.literal(hosts))), "update_errors", errors));
        assertThat(templar.template("{{ groups['all'] | length }} {{ groups.all[0] }}", vars, where)).isEqualTo("1001 db0");
        assertThat(templar.template("{{ groups['all'] | last }}", vars, where)).isEqualTo("{{ not_a_variable }}");
        assertThat(templar.template("{{ update_errors.aggregate[0].msg }}", vars, where)).isEqualTo("{{ x }} is undefined");
        assertThat(templar.condition("'db7' in groups['all']", vars, where)).isTrue();
    }
}
