package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected texts are what Python's difflib.unified_diff (which Ansible's --diff uses) prints for the same input. */
class UnifiedDiffTest {
    @Test
    void oneChangedLineWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assertThat(UnifiedDiff.of(before, after, "/etc/x", "/etc/x")).isEqualTo(
                "--- before: /etc/x\n+++ after: /etc/x\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
    }

    @Test
    void newFileAndDistantChangesMakeSeparateHunks() {
        assertThat(UnifiedDiff.of("", "x\ny\n", null, null)).isEqualTo("--- before\n+++ after\n@@ -0,0 +1,2 @@\n+x\n+y\n");
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            a.append(i).append('\n');
            b.append(i == 1 || i == 18 ? "changed" : String.valueOf(i)).append('\n');
        }
        String d = UnifiedDiff.of(a.toString(), b.toString(), null, null);
        assertThat(d.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@");
    }
}
