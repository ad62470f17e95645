package dev.drover.cli;

import static dev.drover.cli.BadInputCorpusTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.cli.BadInputCorpusTest.Run;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import dev.drover.testing.TestSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shell injection through variables, end to end: {@code drover play} over SSH (the in-process server runs each
 * command with {@code /bin/sh -c}, as sshd does) on both host paths, the agent and agentless
 * ({@code ShellHostOps}). Variables holding {@code ;}, {@code &&}, {@code |}, backticks, {@code $()}, quotes,
 * newlines, redirections, globs and leading dashes go through command (argv, free form and cmd), file, copy,
 * template, lineinfile and stat: the attacker's marker file must never appear, and names must be created exactly
 * as written. The {@code quote} filter makes a value safe for {@code shell}; {@code shell} itself does run a
 * shell. The playbook's assert tasks check what the commands printed.
 */
class InjectionTest {
    @TempDir
    static Path tmp;

    private static TestSshServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestSshServer.builder().user("deploy", "secret").build();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static List<String> evil(Path marker) {
        String m = marker.toString();
        return List.of("; touch " + m, "&& touch " + m, "|| touch " + m, "| tee " + m, "`touch " + m + "`",
                "$(touch " + m + ")", "'; touch " + m + "; '", "\"; touch " + m + "; \"", "\ntouch " + m + "\n",
                "$(touch${IFS}" + m + ")", "x > " + m, "--output=" + m, "-exec touch " + m + " ;",
                "\\\"$(touch " + m + ")\\\"", "a\\'b$(touch " + m + ")");
    }

    static final List<String> NAMES = List.of("semi;colon", "and&&and", "pipe|pipe", "back`id`tick", "dollar$(id)",
            "single'quote", "double\"quote", "new\nline", "glob*", "question?", "-leading-dash", "space name",
            "$HOME", "~tilde", "brace{a,b}", "back\\slash", "percent%s");

    /**
     * The quote filter against Python's own {@code shlex.quote} (what Ansible's filter calls), on the injection
     * strings, the names and random strings over ASCII, controls and a few non-ASCII letters.
     */
    @Test
    void quoteFilterIsPythonShlexQuote() throws Exception {
        List<String> inputs = new ArrayList<>(evil(tmp.resolve("m")));
        inputs.addAll(NAMES);
        inputs.addAll(List.of("", " ", "'", "''", "\"", "a'b", "@%+=:,./-_", "é", "x\u0000y", "\t", "--", "-"));
        Random random = new Random(42);
        String alphabet = "abcXYZ019 _@%+=:,./-'\"\\$`;&|<>(){}[]*?!#~^\n\t\réü";
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            inputs.add(sb.toString());
        }
        // a variable holding Jinja syntax is itself templated (as in Ansible), which is not what is tested here
        inputs.removeIf(s -> s.contains("{{") || s.contains("{%") || s.contains("{#"));
        Process p = new ProcessBuilder("python3", "-c", "import json, shlex, sys\n"
                + "print(json.dumps([shlex.quote(s) for s in json.load(sys.stdin)]))").start();
        ObjectMapper json = new ObjectMapper();
        try (var in = p.getOutputStream()) {
            json.writeValue(in, inputs);
        }
        byte[] pythonOut = p.getInputStream().readAllBytes();
        String pythonErr = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("python3: %s", pythonErr).isZero();
        List<?> python = json.readValue(pythonOut, List.class);
        Templar templar = new Templar(tmp);
        for (int i = 0; i < inputs.size(); i++) {
            Object drover = templar.template("{{ s | quote }}", Vars.of(Map.of("s", inputs.get(i))), null);
            assertThat(drover).as("quote of %s", json.writeValueAsString(inputs.get(i))).isEqualTo(python.get(i));
        }
    }

    @ParameterizedTest(name = "drover_agent={0}")
    @ValueSource(booleans = {false, true})
    void variablesReachModulesAsDataNeverAsShell(boolean agent) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("agent-" + agent));
        Path marker = tmp.resolve("pwned-" + agent);
        Path knownHosts = server.writeKnownHosts(tmp.resolve("known_hosts"));
        Path inv = Files.writeString(tmp.resolve("hosts-" + agent), "h1 ansible_host=127.0.0.1 ansible_port="
                + server.port() + " ansible_user=deploy ansible_password=secret drover_known_hosts_file=" + knownHosts
                + " drover_agent=" + agent + "\n");
        Path vars = tmp.resolve("vars-" + agent + ".json");
        new ObjectMapper().writeValue(vars.toFile(), Map.of("evil", evil(marker), "names", NAMES, "dir",
                dir.toString()));

        // ~250 module runs: a minute is plenty even on a loaded machine; a hang still fails
        Run r = drover(Duration.ofSeconds(120), "play", "-i", inv.toString(), "-e", "@" + vars,
                "src/test/resources/injection/injection.yml");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(marker).as("an injected command ran").doesNotExist();
        assertThat(r.out()).contains("h1                         : ok=");
        for (String name : NAMES) {
            assertThat(dir.resolve("f-" + name)).as("file " + name).isRegularFile();
            assertThat(dir.resolve("d-" + name)).as("directory " + name).isDirectory();
            assertThat(dir.resolve("c-" + name)).as("copy " + name).hasContent(name);
            assertThat(Files.readString(dir.resolve("t-" + name))).as("template " + name).isEqualTo(name);
        }
        List<String> expectedLines = new ArrayList<>();
        Stream.concat(evil(marker).stream(), NAMES.stream()).filter(s -> !s.contains("\n")).forEach(expectedLines::add);
        assertThat(Files.readAllLines(dir.resolve("lines"))).containsExactlyElementsOf(expectedLines);
        assertThat(Files.readString(dir.resolve("evil-content"))).isEqualTo(String.join("\n", evil(marker)));
        assertThat(dir.resolve("shell-ran")).as("shell runs a shell").exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left")
                    .noneMatch(n -> n.contains("drover-tmp") || n.startsWith(".drover"));
        }
    }
}
