package dev.drover.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
    private static final Path F = Path.of("play.yml");

    private static Object load(String text) {
        return YamlReader.parse(F, text).toJava();
    }

    @Test
    void readsYaml11ScalarsLikeAnsible() {
        // PyYAML (YAML 1.1), which Ansible uses: yes/on are booleans, 0644 is octal, 1_000 an int; y stays a string.
        Map<?, ?> m = (Map<?, ?>) load("a: yes\nb: off\nc: 0644\nd: 1_000\ne: 1.5\nf: ~\ng: y\nh: '0644'\ni: 0x1f\n");
        assertThat(m.get("a")).isEqualTo(true);
        assertThat(m.get("b")).isEqualTo(false);
        assertThat(m.get("c")).isEqualTo(420);
        assertThat(m.get("d")).isEqualTo(1000);
        assertThat(m.get("e")).isEqualTo(1.5);
        assertThat(m.get("f")).isNull();
        assertThat(m.get("g")).isEqualTo("y");
        assertThat(m.get("h")).isEqualTo("0644");
        assertThat(m.get("i")).isEqualTo(31);
    }

    @Test
    void refusesDuplicateKeysWithBothPositions() {
        assertThatThrownBy(() -> load("- name: x\n  when: a\n  when: b\n"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("duplicate key 'when' (first at line 2)")
                .extracting(e -> ((UserError) e).render()).asString().startsWith("play.yml:3:3:");
    }

    @Test
    void tabsAreExplainedWithPosition() {
        assertThatThrownBy(() -> load("a:\n\tb: 1\n"))
                .isInstanceOf(UserError.class)
                .extracting(e -> ((UserError) e).render()).asString()
                .startsWith("play.yml:2:").contains("tabs");
    }

    @Test
    void mergeKeysApplyWithExplicitKeysWinning() {
        Map<?, ?> m = (Map<?, ?>) load("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n");
        assertThat(m.get("d")).isEqualTo(Map.of("x", 1, "y", 3));
    }

    @Test
    void vaultValuesStayEncryptedAndUnknownTagsAreRefused() {
        Map<?, ?> m = (Map<?, ?>) load("p: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\nu: !unsafe '{{ x }}'\n");
        assertThat(m.get("p")).isInstanceOf(VaultText.class);
        assertThat(m.get("u")).isEqualTo("{{ x }}");
        assertThatThrownBy(() -> load("a: !python/object x\n")).hasMessageContaining("unsupported YAML tag");
    }

    @Test
    void syntaxErrorsArePositioned() {
        assertThatThrownBy(() -> load("a: [1, 2\nb: 3\n"))
                .isInstanceOf(UserError.class)
                .extracting(e -> ((UserError) e).render()).asString().matches("play\\.yml:\\d+:\\d+: invalid YAML: .*");
        assertThat(load("")).isNull();
        assertThat(load("- 1\n- two\n")).isEqualTo(List.of(1, "two"));
    }
}
