package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --diff output; the expected texts are what Ansible's _get_diff (Python's difflib) prints for the same input. */
class DiffTextTest {
    private static Map<String, Object> diff(Object before, Object after) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", before);
        d.put("after", after);
        d.put("before_header", "f");
        d.put("after_header", "g");
        return d;
    }

    @Test
    void hunksAndContextLikeDifflib() {
        assertThat(DiffText.render(diff("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\nk")))
                .isEqualTo("--- before: f\n+++ after: g\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,4 +7,5 @@\n g\n h\n i\n"
                        + "-j\n+J\n+k\n\\ No newline at end of file\n\n");
        assertThat(DiffText.render(diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\n3\nx\n5\n6\n7\n8\n9\n10\ny\n12\n")))
                .as("changes 6 lines apart share a hunk").isEqualTo("--- before: f\n+++ after: g\n@@ -1,12 +1,12 @@\n 1\n 2\n 3\n-4\n+x\n"
                        + " 5\n 6\n 7\n 8\n 9\n 10\n-11\n+y\n 12\n\n");
        assertThat(DiffText.render(diff("x = 1\n", ""))).isEqualTo("--- before: f\n+++ after: g\n@@ -1 +0,0 @@\n-x = 1\n\n");
        assertThat(DiffText.render(diff("", "new\n"))).isEqualTo("--- before: f\n+++ after: g\n@@ -0,0 +1 @@\n+new\n\n");
    }

    @Test
    void mappingsAsSortedJsonAndNothingWhenEqual() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", Map.of("path", "/p", "state", "file"));
        d.put("after", Map.of("state", "absent", "path", "/p"));
        assertThat(DiffText.render(d)).isEqualTo("--- before\n+++ after\n@@ -1,4 +1,4 @@\n {\n     \"path\": \"/p\",\n"
                + "-    \"state\": \"file\"\n+    \"state\": \"absent\"\n }\n\n");
        assertThat(DiffText.render(diff("same\n", "same\n"))).isEmpty();
        assertThat(DiffText.render(List.of(diff("a\n", "b\n"), Map.of("prepared", "note\n"))))
                .isEqualTo("--- before: f\n+++ after: g\n@@ -1 +1 @@\n-a\n+b\n\nnote\n");
    }
}
