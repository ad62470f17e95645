package dev.drover.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.Position;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Template files render byte for byte as ansible-core 2.14's template module writes them (trim_blocks on,
 * lstrip_blocks off, trailing newlines kept, escapes in string literals interpreted). Expectations
 * files/*.expected were recorded with {@code sh gen_template_cases.sh} (in the test resources directory).
 */
class TemplateFileTest {
    private static Path files() throws URISyntaxException {
        return Path.of(TemplateFileTest.class.getResource("files/t1.j2").toURI()).getParent();
    }

    /** The same variables as gen_template_cases.sh gives the play. */
    private static Vars vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("lst", List.of(1, 2));
        v.put("d", Map.of("a", 1));
        v.put("t", true);
        v.put("n", 5);
        v.put("with_nl", "line\n");
        return Vars.of(v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1", "t2", "t3", "t4", "t5", "t6", "t7"})
    void rendersLikeTheTemplateModule(String name) throws Exception {
        Path src = files().resolve(name + ".j2");
        String expected = Files.readString(files().resolve(name + ".expected"), StandardCharsets.UTF_8);
        String out = new Templar(Path.of("/nonexistent-playbook-dir"))
                .renderText(Files.readString(src), vars(), Position.file(src), List.of(files()));
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void lstripBlocksAndNoTrimBlocksAsTheModuleOptions() throws Exception {
        Path src = files().resolve("t6.j2");
        String expected = Files.readString(files().resolve("t6.lstrip.expected"), StandardCharsets.UTF_8);
        String out = new Templar(files()).renderText(Files.readString(src), vars(), Position.file(src), List.of(), false, true);
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void errorsInATemplateFileNameTheLine() throws Exception {
        Path src = files().resolve("broken.j2");
        String text = "line one\n{% if n %}\n  {{ nmae }}\n{% endif %}\n";
        assertThatThrownBy(() -> new Templar(files()).renderText(text, Vars.of(Map.of("name", 1, "n", 1)), Position.file(src), List.of()))
                .isInstanceOf(TemplateError.class)
                .satisfies(e -> {
                    TemplateError te = (TemplateError) e;
                    assertThat(te.position().line()).isEqualTo(3);
                    assertThat(te.getMessage()).isEqualTo("undefined variable 'nmae'; did you mean 'name'?");
                });
    }

    @Test
    void unclosedBlockIsASyntaxErrorWithItsLine() throws Exception {
        Path src = files().resolve("broken.j2");
        assertThatThrownBy(() -> new Templar(files()).renderText("a\n{% for x in y %}\nb\n", Vars.of(Map.of()), Position.file(src), List.of()))
                .isInstanceOf(TemplateError.class)
                .hasMessage("unexpected end of template; expected '{% else %}' or '{% endfor %}'");
    }

    @Test
    void lookupFileIsFoundInTheSearchPathThenThePlaybookDirectory() throws Exception {
        Templar fromPlaybookDir = new Templar(files());
        assertThat(fromPlaybookDir.renderText("{{ lookup('file', 'data.txt') }}", vars(), Position.file(files()), List.of()))
                .isEqualTo("some data");
        Templar elsewhere = new Templar(Path.of("/nonexistent-playbook-dir"));
        assertThatThrownBy(() -> elsewhere.renderText("{{ lookup('file', 'data.txt') }}", vars(), Position.file(files()), List.of()))
                .isInstanceOf(TemplateError.class)
                .hasMessage("could not locate file in lookup: data.txt");
    }
}
