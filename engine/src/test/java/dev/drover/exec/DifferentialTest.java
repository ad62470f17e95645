package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Runs the same playbooks with {@code ansible-playbook} (Debian's ansible-core, installed by .ci/install-deps) and
 * {@code drover play} on five hosts reached through the local connection, and asserts the same PLAY RECAP per host,
 * the same values printed by {@code debug}, and the same exit code (Ansible's 4 for unreachable is Drover's 3).
 */
class DifferentialTest {
    static final Path DIR = Path.of("src/test/resources/exec/diff").toAbsolutePath();
    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+: (ok=\\d+\\s+changed=\\d+\\s+unreachable=\\d+\\s+failed=\\d+\\s+skipped=\\d+\\s+rescued=\\d+\\s+ignored=\\d+)");
    private static final Pattern DEBUG_START = Pattern.compile("^ok: \\[([^\\]]+)\\]( => \\(item=.*\\))? => \\{$");

    /**
     * ansible-core 2.14 renders a lone expression as text ("{{ 20 + 1 }}" prints "21"); Drover keeps the native
     * type (21), as the issue asks and Ansible 2.19 does. Numbers are compared without quotes (DocumentedChoicesTest).
     */
    private static final Pattern NUMERIC_STRING = Pattern.compile("(: |^\\s+)\"(-?\\d+(?:\\.\\d+)?)\"(?=,?$)");

    record Outcome(int exit, Map<String, String> recap, List<String> debug, String output) {}

    /** Every playbook and flag combination; the lab suite runs the ones on the standard five-host inventory. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("basics.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("blocks.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("serial.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("batch_fails.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("max_fail.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("fatal.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("run_once.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("handlers.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("handlers.yml", "--force-handlers"),
                org.junit.jupiter.params.provider.Arguments.of("meta.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("includes.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("tags.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("tags.yml", "--tags a"),
                org.junit.jupiter.params.provider.Arguments.of("tags.yml", "--tags debugonly"),
                org.junit.jupiter.params.provider.Arguments.of("tags.yml", "--skip-tags always"),
                org.junit.jupiter.params.provider.Arguments.of("unreachable.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("prec.yml", "-e v_extra=extra-var"),
                org.junit.jupiter.params.provider.Arguments.of("features.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("free.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("argspec.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("never_play.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("never_play.yml", "--tags special"),
                org.junit.jupiter.params.provider.Arguments.of("keywords.yml", null),
                org.junit.jupiter.params.provider.Arguments.of("keywords.yml", "--start-at-task;start here"),
                org.junit.jupiter.params.provider.Arguments.of("keywords.yml", "--check --diff"),
                org.junit.jupiter.params.provider.Arguments.of("unreachable_knobs.yml", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void sameRecapValuesAndExitCodeAsAnsible(String playbook, String flags) throws Exception {
        // Arguments are separated by spaces, or by ';' when one contains a space.
        List<String> extra = flags == null ? List.of() : List.of(flags.split(flags.contains(";") ? ";" : " "));
        Outcome ansible = ansible(playbook, extra);
        Outcome drover = drover(playbook, extra);
        String context = "\n--- ansible-playbook ---\n" + ansible.output() + "\n--- drover ---\n" + drover.output();
        assertThat(drover.recap()).as("recap" + context).isEqualTo(ansible.recap());
        assertThat(drover.debug()).as("debug output" + context).isEqualTo(ansible.debug());
        int expectedExit = ansible.exit() == 4 ? 3 : ansible.exit();
        assertThat(drover.exit()).as("exit code" + context).isEqualTo(expectedExit);
    }

    static Outcome ansible(String playbook, List<String> extra) throws IOException, InterruptedException {
        return ansible(DIR.resolve(inventory(playbook)), playbook, extra, Map.of());
    }

    static Outcome ansible(Path inventory, String playbook, List<String> extra, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), "-f", "10", playbook));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(extraEnv);
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_LOCALHOST_WARNING", "0");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "0");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "0");
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        return parse(p.exitValue(), out);
    }

    static Outcome drover(String playbook, List<String> extra) {
        return drover(DIR.resolve(inventory(playbook)), playbook, extra);
    }

    static Outcome drover(Path inventory, String playbook, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("play", "-i", inventory.toString(), "-f", "10",
                DIR.resolve(playbook).toString()));
        args.addAll(extra);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(out, out, args.toArray(String[]::new));
        out.flush();
        return parse(code, bytes.toString(StandardCharsets.UTF_8));
    }

    static String inventory(String playbook) {
        if (playbook.startsWith("unreachable")) return "unreachable.ini";
        return playbook.startsWith("prec") ? "prec/inventory.ini" : "inventory.ini";
    }

    static Outcome parse(int exit, String output) {
        Map<String, String> recap = new TreeMap<>();
        List<String> debug = new ArrayList<>();
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher r = RECAP.matcher(line);
            if (r.find()) recap.put(r.group(1), r.group(2).replaceAll("\\s+", " "));
            Matcher d = DEBUG_START.matcher(line);
            if (d.matches()) {
                StringBuilder block = new StringBuilder(line);
                while (++i < lines.size() && !lines.get(i).equals("}")) block.append('\n').append(NUMERIC_STRING.matcher(lines.get(i)).replaceAll("$1$2"));
                debug.add(block.append("\n}").toString());
            }
        }
        Collections.sort(debug);
        return new Outcome(exit, recap, debug, output);
    }
}
