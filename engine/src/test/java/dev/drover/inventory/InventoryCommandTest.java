package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drover inventory command's exit codes and one-line errors. */
class InventoryCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void badInventoryIsOneLineWithPositionAndExitCode4(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts"), "[db]\ndb[1:x]\n");
        assertThat(run("inventory", "-i", inv.toString(), "--list")).isEqualTo(4);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(1);
        assertThat(text).contains("hosts:2:1: bad host range in 'db[1:x]'").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void hostMustMatchExactlyOne(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts"), "[db]\na\nb\n");
        assertThat(run("inventory", "-i", inv.toString(), "--host", "db")).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exactly one host, found 2 hosts: a, b");
    }

    @Test
    void optionsAreCheckedWithExitCode5() {
        assertThat(run("inventory", "--list")).isEqualTo(5);
        assertThat(run("inventory", "-i", "x,", "--list", "--graph")).isEqualTo(5);
        assertThat(run("inventory", "-i", "x,", "--list", "--vars")).isEqualTo(5);
    }

    @Test
    void helpDescribesEveryAction() {
        assertThat(run("inventory", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--list", "--graph", "--host", "--vars",
                "--playbook-dir", "Examples:");
    }
}
