package dev.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written bad-input corpus under {@code src/test/resources/badinput/}, each file run through the real
 * command line ({@link Main#run(PrintWriter, PrintWriter, String...)}): exit code 4, one line
 * {@code ERROR: file:line:column: message} naming the file and the spot its first-line
 * {@code # expect: line:column} comment gives, no stack trace, and no hang. Templates fail at run time instead:
 * the task fails (exit 2) positioned at the task. The generated corpus is in
 * {@link GeneratedBadInputTest}.
 */
class BadInputCorpusTest {
    static final String DIR = "src/test/resources/badinput/";
    static final Duration BOUND = Duration.ofSeconds(20);
    private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+):(\\d+)(?: in (\\S+))?");

    /** What one in-process {@code drover} run printed. */
    record Run(int exit, String out, String err) {
        String describe() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Run drover(String... args) {
        return drover(BOUND, args);
    }

    /** Runs {@code drover args}, failing if it has not finished within {@code bound}. */
    static Run drover(Duration bound, String... args) {
        return assertTimeoutPreemptively(bound, () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Run(code, out.toString(), err.toString());
        }, () -> "drover " + String.join(" ", args) + " did not finish within " + bound);
    }

    /**
     * The shape every refusal has: the given exit code, nothing on stdout, exactly one line on stderr,
     * {@code ERROR: <file>:<line>:<column>: <message>}, no exception name or stack frame. Returns the position.
     */
    static String assertRefused(Run r, int exit, String file) {
        assertThat(r.exit()).as(r.describe()).isEqualTo(exit);
        assertThat(r.err().lines().toList()).as(r.describe()).hasSize(1);
        assertThat(r.err()).as(r.describe()).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("internal error");
        Matcher m = Pattern.compile("^ERROR: " + Pattern.quote(file) + ":(\\d+):(\\d+): \\S.*$")
                .matcher(r.err().strip());
        assertThat(m.matches()).as("positioned in %s: %s", file, r.err()).isTrue();
        return m.group(1) + ":" + m.group(2);
    }

    /** The header's {@code line:column} and the file it is in (the case itself unless {@code in <file>}). */
    private static String[] expected(Path file) throws IOException {
        String first = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        Matcher m = EXPECT.matcher(first);
        if (!m.find()) return new String[] {null, file.toString()};
        String in = m.group(3) == null ? file.toString() : file.getParent().resolve(m.group(3)).normalize().toString();
        return new String[] {m.group(1) + ":" + m.group(2), in};
    }

    private static List<Path> files(String sub, String... exts) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(DIR, sub))) {
            return s.filter(p -> Stream.of(exts).anyMatch(e -> p.toString().endsWith(e))).sorted().toList();
        }
    }

    private static DynamicTest positioned(Path file, String... args) {
        return DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Run r = drover(args);
            String[] expected = expected(file);
            String at = assertRefused(r, 4, expected[1]);
            if (expected[0] != null) assertThat(at).as(r.err()).isEqualTo(expected[0]);
        });
    }

    @TestFactory
    Stream<DynamicTest> playbooks() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (Path f : files("playbook", ".yml")) {
            if (f.getFileName().toString().endsWith("_tasks.yml") || f.getFileName().toString().endsWith("_b.yml")) {
                continue; // included by another case
            }
            out.add(positioned(f, "play", "--syntax-check", f.toString()));
        }
        assertThat(out).hasSizeGreaterThan(50);
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> inventories() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (Path f : files("inventory", ".ini", ".yml")) {
            out.add(positioned(f, "inventory", "-i", f.toString(), "--list"));
        }
        for (Path f : files("inventory", ".ini", ".yml")) {
            DynamicTest t = positioned(f, "play", "-i", f.toString(), "--list-hosts", DIR + "ok.yml");
            out.add(DynamicTest.dynamicTest("play --list-hosts " + t.getDisplayName(), t.getExecutable()));
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> variableFiles() throws IOException {
        return files("vars", ".yml").stream()
                .map(f -> positioned(f, "play", "--syntax-check", "-e", "@" + f, DIR + "ok.yml"));
    }

    /**
     * A broken template only shows when the template module renders it: the task fails on the host (exit 2,
     * as docs/exit-codes.md says for failed hosts) and the message names the task's line and column.
     */
    @TestFactory
    Stream<DynamicTest> templatesAtRunTime(@TempDir Path tmp) throws IOException {
        return files("template", ".j2").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Path dest = tmp.resolve(f.getFileName() + ".out");
            Run r = drover("play", "-i", "localhost,", "-c", "local", "-e", "src=" + f.toAbsolutePath(),
                    "-e", "dest=" + dest, DIR + "render_template.yml");
            assertThat(r.exit()).as(r.describe()).isEqualTo(2);
            assertThat(r.out()).as(r.describe()).contains("TASK [render the broken template]")
                    .contains("fatal: [localhost]: FAILED!").contains(DIR + "render_template.yml:4:7: ")
                    .doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(dest).doesNotExist();
        }));
    }

    private static final Pattern RUN_EXPECT = Pattern.compile("^# expect: (\\d+:\\d+) exit (\\d)(?: in (\\S+))?");

    /**
     * Mistakes that only show when the play runs (Jinja in task arguments and conditions, include cycles,
     * variable cycles, host patterns, vars_files), run for real against localhost: either refused before anything
     * runs (exit 4, one positioned line) or the task fails (exit 2) with the task's {@code file:line:column}.
     */
    @TestFactory
    Stream<DynamicTest> atRunTime() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (Path f : files("runtime", ".yml")) {
            if (f.getFileName().toString().endsWith("_tasks.yml")) continue; // included by another case
            out.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                Matcher m = RUN_EXPECT.matcher(Files.readString(f).lines().findFirst().orElse(""));
                assertThat(m.find()).as("header of " + f).isTrue();
                String where = (m.group(3) == null ? f.toString() : f.getParent().resolve(m.group(3)).normalize())
                        + ":" + m.group(1) + ":";
                Run r = drover("play", "-i", "localhost,", "-c", "local", f.toString());
                if (m.group(2).equals("4")) {
                    assertThat(assertRefused(r, 4, where.substring(0, where.indexOf(':')))).isEqualTo(m.group(1));
                    assertThat(r.out()).as("nothing ran").doesNotContain("TASK [");
                } else {
                    assertThat(r.exit()).as(r.describe()).isEqualTo(2);
                    assertThat(r.out()).as(r.describe()).contains("fatal: [localhost]: FAILED!").contains(where)
                            .doesNotContain("\tat ").doesNotContain("Exception");
                }
            }));
        }
        return out.stream();
    }

    /** Bad command-line values: exit 5, one ERROR line and a pointer to --help. */
    @TestFactory
    Stream<DynamicTest> commandLineOptions() {
        String pb = DIR + "ok.yml";
        List<String[]> cases = List.of(
                new String[] {"play", "--forks", "0", pb},
                new String[] {"play", "--forks", "many", pb},
                new String[] {"play", "-T", "-3", pb},
                new String[] {"play", "-c", "telnet", pb},
                new String[] {"play", "--become-method", "sudoo", pb},
                new String[] {"play", "--private-key", "/nonexistent/key", pb},
                new String[] {"play", "--no-such-flag", pb},
                new String[] {"play"},
                new String[] {"play", "-e"},
                new String[] {"inventory", "--list"},
                new String[] {"inventory", "-i", "x,", "--list", "--graph"},
                new String[] {"frobnicate"});
        return cases.stream().map(a -> DynamicTest.dynamicTest(String.join(" ", a), () -> {
            Run r = drover(a);
            assertThat(r.exit()).as(r.describe()).isEqualTo(5);
            assertThat(r.err()).as(r.describe()).startsWith("ERROR: ").doesNotContain("\tat ")
                    .doesNotContain("Exception");
        }));
    }
}
