package dev.drover.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.inventory.HostPattern;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryLoader;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import dev.drover.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded, seeded fuzzing of the three parsers that read what users write: the YAML reader (with the conversion
 * to Java values), the Jinja2 parser and evaluator, and host patterns. Valid seeds are mutated at random (cut,
 * duplicate, splice in syntax tokens, flip bytes); each mutant may be refused only with a {@link UserError}
 * (TemplateError is one), never with another exception, a stack overflow or a hang. Each parser gets a few
 * seconds, about 20 s for the class. The seed is fixed so CI is repeatable; {@code -Ddrover.fuzz.seed=N} explores
 * elsewhere and {@code -Ddrover.fuzz.seconds=S} runs longer. A failure prints the seed and the input.
 */
class ParserFuzzTest {
    private static final long SEED = Long.getLong("drover.fuzz.seed", 20261123L);
    private static final double SECONDS = Double.parseDouble(System.getProperty("drover.fuzz.seconds", "6"));

    private static final List<String> TOKENS = List.of("{{", "}}", "{%", "%}", "{#", "#}", "[", "]", "{", "}", "(",
            ")", ":", "- ", "? ", "&a ", "*a", "!!str ", "!vault ", "|", ">", "'", "\"", "\\", "\n", "\t", "  ", ",",
            "#", "%", "~", "!", "&", "..", "**", "//", "=", "==", " is ", " in ", " not ", " if ", " else ", "|default",
            "|int", "|join(", "range(", "lookup(", ".", "0", "-1", "99999999999999999999", "1e309", "\u0000", "\u00e9",
            "\ud83d\ude00", "---\n", "...\n", "<<: ", "{% for x in y %}", "{% endfor %}", "{% if a %}", "{% endif %}",
            "{% macro m() %}", "{% endmacro %}", "{% set a = ", "{% raw %}", "{% endraw %}", "loop.", "*", "^", "$");

    private static final List<String> YAML_SEEDS = List.of("""
            - hosts: db
              vars:
                a: &x [1, 2, {b: c}]
                d: *x
                e: "{{ a | length }}"
              tasks:
                - name: t
                  command: echo {{ e }}
                  when: a is defined
                  loop: "{{ range(3) | list }}"
            """, "all:\n  children:\n    db:\n      hosts:\n        db[01:03]:\n          port: 5432\n",
            "key: |\n  text\n  more\nflow: {a: [1, 2], b: 'q''s'}\nn: ~\nt: 2001-12-14\nm: !!str 5\n");

    private static final List<String> TEMPLATE_SEEDS = List.of(
            "{{ a | default('x') | upper }} and {{ b[0] + 1 }}",
            "{% for i in items if i > 1 %}{{ loop.index }}:{{ i }}{% else %}none{% endfor %}",
            "{% if a is defined and a|length > 2 %}{{ a[1:] | join(',') }}{% elif b %}{{ b }}{% endif %}",
            "{% set x = {'k': [1, 2]} %}{{ x.k | map('string') | list | to_json }}",
            "{% macro m(v, w=2) %}{{ v * w }}{% endmacro %}{{ m(3) }}{# comment #}",
            "{{ '%s-%d' | format('a', 3) }} {{ 'abc' | regex_replace('b', 'x') }} {{ 10 // 3 }} {{ 2 ** 8 }}",
            "{{ lookup('env', 'HOME') }} {{ query('items', [1]) }} {{ a if b else c }}");

    private static final List<String> PATTERN_SEEDS = List.of("db", "db:&web", "all:!web1", "db[0]", "db[1:2]",
            "~db\\d+", "web*", "db,web:&prod", "db[-1]", "!db", "*.example.com", "db1:web[0:]");

    @TempDir
    static Path tmp;

    private static Inventory inventory;

    @BeforeAll
    static void inventory() throws IOException {
        Files.writeString(tmp.resolve("hosts"), "[db]\ndb[1:3]\n[web]\nweb[1:2]\n[prod:children]\ndb\n");
        inventory = new InventoryLoader(tmp).load(List.of("hosts"));
    }

    @Test
    void yamlReader() {
        Path file = tmp.resolve("fuzz.yml");
        fuzz("yaml", YAML_SEEDS, text -> YamlReader.parse(file, text).toJava());
    }

    @Test
    void templateParserAndEvaluator() {
        Templar templar = new Templar(tmp);
        Vars vars = Vars.of(Map.of("a", List.of(1, 2, 3), "b", List.of(5), "c", "s", "items", List.of(1, 2, 3),
                "x", Map.of("k", 1)));
        Position at = new Position("fuzz", 1, 1);
        fuzz("template", TEMPLATE_SEEDS, text -> {
            templar.renderText(text, vars, at, List.of());
            templar.template(text, vars, at);
        });
    }

    @Test
    void hostPatterns() {
        fuzz("pattern", PATTERN_SEEDS, text -> HostPattern.parse(text).evaluate(inventory));
    }

    /** Mutates the seeds for {@link #SECONDS}; only UserError may escape {@code parse}. */
    private static void fuzz(String what, List<String> seeds, Consumer<String> parse) {
        Random random = new Random(SEED ^ what.hashCode());
        String[] current = new String[1];
        int[] runs = new int[1];
        long budget = (long) (SECONDS * 1e9);
        assertTimeoutPreemptively(Duration.ofNanos(budget).plusSeconds(10), () -> {
            long end = System.nanoTime() + budget;
            while (System.nanoTime() < end) {
                String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
                current[0] = input;
                long t0 = System.nanoTime();
                try {
                    parse.accept(input);
                } catch (UserError expected) {
                    assertThat(expected.getMessage()).as("message for %s", show(input)).isNotBlank();
                } catch (Throwable t) {
                    fail(what + " fuzz (seed " + SEED + ", run " + runs[0] + ") threw " + t + " for " + show(input), t);
                }
                runs[0]++;
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).as("%s fuzz (seed %d) took %d ms on %s", what, SEED, ms, show(input)).isLessThan(2000);
            }
        }, () -> what + " fuzz (seed " + SEED + ") hung on " + show(current[0]));
        assertThat(runs[0]).as("mutants tried").isGreaterThan(100);
        System.out.printf("%s fuzz: %d mutants in %.0f s, seed %d%n", what, runs[0], SECONDS, SEED);
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int at = sb.isEmpty() ? 0 : random.nextInt(sb.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> sb.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
                case 1 -> { // delete a run
                    int len = Math.min(sb.length() - at, 1 + random.nextInt(8));
                    if (len > 0) sb.delete(at, at + len);
                }
                case 2 -> { // duplicate a run (nesting grows)
                    int len = Math.min(sb.length() - at, 1 + random.nextInt(16));
                    if (len > 0) sb.insert(at, sb.substring(at, at + len).repeat(1 + random.nextInt(4)));
                }
                case 3 -> { // flip a character to any code point below U+0100
                    if (at < sb.length()) sb.setCharAt(at, (char) random.nextInt(256));
                }
                case 4 -> sb.setLength(at); // truncate
                default -> sb.insert(at, TOKENS.get(random.nextInt(TOKENS.size())).repeat(1 + random.nextInt(40)));
            }
        }
        return sb.toString();
    }

    private static String show(String input) {
        if (input == null) return "(nothing yet)";
        String s = input.length() > 400 ? input.substring(0, 400) + "...(" + input.length() + " chars)" : input;
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
