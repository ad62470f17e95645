package dev.drover.cli;

import static dev.drover.cli.BadInputCorpusTest.DIR;
import static dev.drover.cli.BadInputCorpusTest.assertRefused;
import static dev.drover.cli.BadInputCorpusTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.BadInputCorpusTest.Run;
import dev.drover.playbook.Keywords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated half of the bad-input corpus: valid seed playbooks truncated and re-indented, every keyword given
 * a wrong type, cyclic imports of every length, bad host patterns, binary garbage, and deep nesting, each run
 * through the command line. A generated file may happen to be valid (a truncation at a line end usually is), so
 * "exit 0" is allowed where noted; every other outcome must be the one-line positioned refusal (exit 4) within
 * the time bound, never a crash, a stack trace or a hang. Seeds are fixed: every run generates the same files.
 */
class GeneratedBadInputTest {
    private static final Path SEED = Path.of(DIR, "seed.yml");

    @TempDir
    static Path tmp;

    private static int counter;

    private static Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(String.format("%04d_%s", counter++, name));
        Files.writeString(p, text);
        return p;
    }

    private static Path writeBytes(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(String.format("%04d_%s", counter++, name));
        Files.write(p, bytes);
        return p;
    }

    /** Exit 4 with one positioned line, or (when {@code mayBeValid}) exit 0. */
    private static DynamicTest syntaxCheck(String name, Path file, boolean mayBeValid) {
        return DynamicTest.dynamicTest(name, () -> {
            Run r = drover("play", "--syntax-check", file.toString());
            if (mayBeValid && r.exit() == 0) return;
            assertRefused(r, 4, Path.of(file.toString()).toAbsolutePath().startsWith(Path.of("").toAbsolutePath())
                    ? file.toString() : file.toAbsolutePath().toString());
        });
    }

    @TestFactory
    Stream<DynamicTest> truncations() throws IOException {
        String seed = Files.readString(SEED);
        List<DynamicTest> out = new ArrayList<>();
        for (int cut = 1; cut < seed.length(); cut += 7) {
            Path f = write("truncated_" + cut + ".yml", seed.substring(0, cut));
            out.add(syntaxCheck("cut at " + cut, f, true));
        }
        assertThat(out).hasSizeGreaterThan(50);
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> badIndentation() throws IOException {
        List<String> lines = Files.readString(SEED).lines().toList();
        List<DynamicTest> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String change : List.of("+1", "-1", "tab")) {
                List<String> copy = new ArrayList<>(lines);
                String l = copy.get(i);
                copy.set(i, switch (change) {
                    case "+1" -> " " + l;
                    case "-1" -> l.startsWith(" ") ? l.substring(1) : l;
                    default -> "\t" + l.stripLeading();
                });
                if (copy.get(i).equals(l)) continue;
                Path f = write("indent_" + i + change + ".yml", String.join("\n", copy) + "\n");
                // a tab is never valid indentation; a shifted line sometimes still is (a comment, a scalar)
                out.add(syntaxCheck("line " + (i + 1) + " " + change, f, !change.equals("tab")));
            }
        }
        return out.stream();
    }

    /** Every play, block and task keyword with values of shapes no keyword takes together. */
    @TestFactory
    Stream<DynamicTest> wrongTypeForEveryKeyword() throws IOException {
        List<String> values = List.of("{a: {b: [1]}}", "[[1, 2], {a: 1}]", "[{a: 1}]", "3.5", "[]");
        List<DynamicTest> out = new ArrayList<>();
        for (String k : new TreeSet<>(Keywords.PLAY)) {
            if (k.equals("hosts")) continue;
            for (String v : values) {
                Path f = write("play_" + k + ".yml", "- hosts: all\n  " + k + ": " + v + "\n  tasks:\n"
                        + "    - debug: msg=x\n");
                out.add(syntaxCheck("play " + k + ": " + v, f, true));
            }
        }
        for (String k : new TreeSet<>(Keywords.TASK)) {
            for (String v : values) {
                Path f = write("task_" + k + ".yml", "- hosts: all\n  tasks:\n    - debug: msg=x\n      " + k + ": "
                        + v + "\n");
                out.add(syntaxCheck("task " + k + ": " + v, f, true));
            }
        }
        for (String k : new TreeSet<>(Keywords.BLOCK)) {
            if (k.equals("block")) continue;
            for (String v : values) {
                Path f = write("block_" + k + ".yml", "- hosts: all\n  tasks:\n    - block:\n        - debug: msg=x\n"
                        + "      " + k + ": " + v + "\n");
                out.add(syntaxCheck("block " + k + ": " + v, f, true));
            }
        }
        assertThat(out).hasSizeGreaterThan(300);
        return out.stream();
    }

    /** import_tasks and import_playbook chains that come back to their start, of lengths 1 to 6. */
    @TestFactory
    Stream<DynamicTest> cyclicImports() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            Path dir = Files.createDirectories(tmp.resolve("cycle" + n));
            for (int i = 0; i < n; i++) {
                Files.writeString(dir.resolve("t" + i + ".yml"), "- debug: msg=" + i + "\n- import_tasks: t"
                        + ((i + 1) % n) + ".yml\n");
                Files.writeString(dir.resolve("p" + i + ".yml"), "- import_playbook: p" + ((i + 1) % n) + ".yml\n");
            }
            Path pb = dir.resolve("main.yml");
            Files.writeString(pb, "- hosts: all\n  tasks:\n    - import_tasks: t0.yml\n");
            int len = n;
            out.add(DynamicTest.dynamicTest("import_tasks cycle of " + n, () -> {
                Run r = drover("play", "--syntax-check", pb.toString());
                String where = r.err().contains("main.yml:") ? pb.toString() : dir.resolve("t" + (len - 1) + ".yml").toString();
                assertRefused(r, 4, where);
                assertThat(r.err()).contains("import cycle: ");
            }));
            Path p0 = dir.resolve("p0.yml");
            out.add(DynamicTest.dynamicTest("import_playbook cycle of " + n, () -> {
                Run r = drover("play", "--syntax-check", p0.toString());
                assertRefused(r, 4, dir.resolve("p" + (len - 1) + ".yml").toString());
                assertThat(r.err()).contains("import_playbook cycle: ");
            }));
            Path roles = Files.createDirectories(dir.resolve("roles"));
            for (int i = 0; i < n; i++) {
                Files.createDirectories(roles.resolve("r" + i + "/meta"));
                Files.createDirectories(roles.resolve("r" + i + "/tasks"));
                Files.writeString(roles.resolve("r" + i + "/meta/main.yml"), "dependencies:\n  - r" + ((i + 1) % n) + "\n");
                Files.writeString(roles.resolve("r" + i + "/tasks/main.yml"), "- debug: msg=r" + i + "\n");
            }
            Path rp = dir.resolve("roles.yml");
            Files.writeString(rp, "- hosts: all\n  roles: [r0]\n");
            out.add(DynamicTest.dynamicTest("role dependency cycle of " + n, () -> {
                Run r = drover("play", "--syntax-check", "--roles-path", roles.toString(), rp.toString());
                assertThat(r.exit()).as(r.describe()).isEqualTo(4);
                assertThat(r.err()).contains("cycle").matches("(?s)ERROR: \\S+:\\d+:\\d+: .*\\n")
                        .doesNotContain("\tat ");
            }));
        }
        return out.stream();
    }

    /** Host patterns no inventory can match, in hosts: and in --limit. */
    @TestFactory
    Stream<DynamicTest> badHostPatterns() throws IOException {
        Path inv = write("hosts.ini", "[db]\ndb[1:3]\n[web]\nweb1\n");
        List<String> patterns = List.of("web[1:", "db[", "db[x]", "db[3:1]", "db[-]", "~(", "~[", "~*", "db[1:2:3]",
                "&", "!", ":", "::", "db:&", "db:!", "db[99999999999999999999]", "db[1]:[2]", "[", "]", "db,,[",
                "web[0-]", "\u0000", "~(a|", "db[-1:]");
        List<DynamicTest> out = new ArrayList<>();
        for (String p : patterns) {
            Path pb = write("pattern.yml", "- hosts: '" + p.replace("'", "''") + "'\n  gather_facts: false\n"
                    + "  tasks:\n    - debug: msg=x\n");
            out.add(DynamicTest.dynamicTest("hosts: " + p, () -> {
                Run r = drover("play", "-i", inv.toString(), "--list-hosts", pb.toString());
                if (r.exit() != 0) assertRefused(r, 4, pb.toString());
            }));
            out.add(DynamicTest.dynamicTest("--limit " + p, () -> {
                Run r = drover("play", "-i", inv.toString(), "--list-hosts", "--limit", p, DIR + "ok.yml");
                assertThat(r.exit()).as(r.describe()).isIn(0, 4, 5);
                assertThat(r.err()).doesNotContain("\tat ").doesNotContain("internal error");
                if (r.exit() != 0) assertThat(r.err().lines().toList()).as(r.describe()).hasSizeBetween(1, 2);
            }));
        }
        return out.stream();
    }

    /** Random bytes as playbook, variables file and inventory. */
    @TestFactory
    Stream<DynamicTest> binaryGarbage() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (int seed = 0; seed < 30; seed++) {
            Random random = new Random(seed);
            byte[] bytes = new byte[1 + random.nextInt(2048)];
            random.nextBytes(bytes);
            bytes[0] = 0; // never accidentally text
            Path pb = writeBytes("garbage.yml", bytes);
            out.add(syntaxCheck("playbook, seed " + seed, pb, false));
            out.add(DynamicTest.dynamicTest("-e @vars, seed " + seed, () -> {
                Run r = drover("play", "--syntax-check", "-e", "@" + pb, DIR + "ok.yml");
                assertRefused(r, 4, pb.toString());
            }));
            Path ini = writeBytes("garbage.ini", bytes);
            out.add(DynamicTest.dynamicTest("inventory, seed " + seed, () -> {
                Run r = drover("inventory", "-i", ini.toString(), "--list");
                if (r.exit() != 0) assertRefused(r, 4, ini.toString());
            }));
        }
        return out.stream();
    }

    /** Nesting and alias expansion past every limit: refused quickly, never a stack overflow. */
    @TestFactory
    Stream<DynamicTest> hugeNesting() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (int depth : new int[] {40, 60, 1000, 100_000}) {
            out.add(syntaxCheck("flow lists " + depth, write("flow.yml", "- hosts: all\n  vars:\n    x: "
                    + "[".repeat(depth) + "]".repeat(depth) + "\n"), depth < 45));
            StringBuilder block = new StringBuilder("- hosts: all\n  vars:\n");
            String indent = "    ";
            for (int i = 0; i < Math.min(depth, 5000); i++) {
                block.append(indent).append("k").append(i).append(":\n");
                indent += " ";
            }
            block.append(indent).append("leaf\n");
            out.add(syntaxCheck("block mappings " + depth, write("block.yml", block.toString()), depth < 45));
        }
        StringBuilder laughs = new StringBuilder("- hosts: all\n  vars:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            laughs.append("    l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) laughs.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            laughs.append("]\n");
        }
        laughs.append("  tasks:\n    - debug: msg={{ l9 | length }}\n");
        out.add(syntaxCheck("billion laughs", write("laughs.yml", laughs.toString()), false));
        return out.stream();
    }
}
