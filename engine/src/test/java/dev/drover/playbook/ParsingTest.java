package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KvParser, TagFilter and ExtraVars. */
class ParsingTest {
    @TempDir
    Path tmp;

    @Test
    void splitKeepsQuotesAndJinjaTogether() {
        assertThat(KvParser.split("a=b c=\"foo bar\"")).containsExactly("a=b", "c=\"foo bar\"");
        assertThat(KvParser.split("msg={{ a | default('x y') }} z")).containsExactly("msg={{ a | default('x y') }}", "z");
        // as Ansible's split_args: {% %} pairs are counted per word, not matched as if/endif
        assertThat(KvParser.split("x={% if a %}1 2{% endif %}")).containsExactly("x={% if a %}1", "2{% endif %}");
        assertThat(KvParser.split("x={% if a %} 1 {% endif %}")).containsExactly("x={% if a %}", "1", "{% endif %}");
        assertThat(KvParser.split("one\ntwo")).containsExactly("one\n", "two");
        assertThatThrownBy(() -> KvParser.split("a='open")).isInstanceOf(KvParser.SplitException.class);
        assertThatThrownBy(() -> KvParser.split("a={{ b")).isInstanceOf(KvParser.SplitException.class);
    }

    @Test
    void parseKvLikeAnsible() {
        assertThat(KvParser.parse("src=a dest='b c'", false)).containsExactly(Map.entry("src", "a"), Map.entry("dest", "b c"));
        assertThat(KvParser.parse("echo a=b creates=/x", true))
                .containsExactly(Map.entry("creates", "/x"), Map.entry("_raw_params", "echo a=b"));
        assertThat(KvParser.parse("echo a\\=b", false)).containsExactly(Map.entry("_raw_params", "echo a=b"));
        assertThat(KvParser.parse("", false)).isEmpty();
    }

    @Test
    void tagSelectionFollowsAnsible() {
        TagFilter none = TagFilter.all();
        assertThat(none.selects(Set.of())).isTrue();
        assertThat(none.selects(Set.of("x"))).isTrue();
        assertThat(none.selects(Set.of("never"))).isFalse();
        assertThat(none.selects(Set.of("never", "always"))).isTrue();

        TagFilter only = new TagFilter(Set.of("a"), Set.of());
        assertThat(only.selects(Set.of("a", "b"))).isTrue();
        assertThat(only.selects(Set.of("b"))).isFalse();
        assertThat(only.selects(Set.of())).isFalse();
        assertThat(only.selects(Set.of("always"))).isTrue();
        assertThat(new TagFilter(Set.of("never"), Set.of()).selects(Set.of("never"))).isTrue();

        TagFilter tagged = new TagFilter(Set.of("tagged"), Set.of());
        assertThat(tagged.selects(Set.of("x"))).isTrue();
        assertThat(tagged.selects(Set.of())).isFalse();
        assertThat(tagged.selects(Set.of("x", "never"))).isFalse();
        TagFilter untagged = new TagFilter(Set.of("untagged"), Set.of());
        assertThat(untagged.selects(Set.of())).isTrue();
        assertThat(untagged.selects(Set.of("x"))).isFalse();

        TagFilter skipAll = new TagFilter(Set.of(), Set.of("all"));
        assertThat(skipAll.selects(Set.of("x"))).isFalse();
        assertThat(skipAll.selects(Set.of("always"))).isTrue();
        assertThat(new TagFilter(Set.of(), Set.of("all", "always")).selects(Set.of("always"))).isFalse();
        assertThat(new TagFilter(Set.of(), Set.of("always")).selects(Set.of("always"))).isFalse();
        assertThat(new TagFilter(Set.of(), Set.of("tagged")).selects(Set.of())).isTrue();
        assertThat(TagFilter.parse(List.of("a,b", " c "))).containsExactly("a", "b", "c");
    }

    @Test
    void extraVarsFromWordsJsonAndFiles() throws IOException {
        Path f = Files.writeString(tmp.resolve("vars.yml"), "from_file: yes\nn: 0644\n");
        Map<String, Object> v = ExtraVars.parse(List.of("a=1 b='x y'", "{\"c\": {\"d\": [1]}}", "@" + f, "a=2"));
        assertThat(v).containsEntry("a", "2").containsEntry("b", "x y").containsEntry("c", Map.of("d", List.of(1)))
                .containsEntry("from_file", true).containsEntry("n", 420);
        assertThatThrownBy(() -> ExtraVars.parse(List.of("@" + tmp.resolve("missing.yml"))))
                .isInstanceOf(UserError.class).hasMessageContaining("not found")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(ExitCode.BAD_OPTIONS));
        assertThatThrownBy(() -> ExtraVars.parse(List.of("[1, 2]"))).hasMessageContaining("expected a mapping");
        assertThatThrownBy(() -> ExtraVars.parse(List.of("justaword"))).hasMessageContaining("expected key=value");
    }
}
