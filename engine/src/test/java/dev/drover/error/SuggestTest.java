package dev.drover.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void findsTranspositionsAndTypos() {
        List<String> words = List.of("when", "register", "become_user", "notify");
        assertThat(Suggest.closest("whne", words)).isEqualTo("when");
        assertThat(Suggest.closest("regster", words)).isEqualTo("register");
        assertThat(Suggest.closest("become_usr", words)).isEqualTo("become_user");
        assertThat(Suggest.closest("zzzzzz", words)).isNull();
        assertThat(Suggest.hint("notfy", words)).isEqualTo("; did you mean 'notify'?");
    }
}
