package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link KvParser} with ansible-core's own {@code split_args}/{@code parse_kv}, run with the Python
 * interpreter that runs ansible-playbook (found from its {@code #!} line). Fails if ansible-core is missing.
 */
class KvParserDifferentialTest {
    private static final List<String> INPUTS = List.of(
            "echo hi creates=/x chdir=/tmp",
            "src=a dest=\"b c\" mode=0644",
            "echo {{ a }} b=c \"quoted words\"",
            "msg=\"{{ x }} y\"",
            "msg='single quoted' other=\"double\"",
            "name={{ item.name }} state={{ item.state | default('present') }}",
            "echo a\\=b",
            "x={% if a %}1 2{% endif %}",
            "x={% if a %} 1 {% endif %}",
            "cmd  with   many spaces",
            "one\ntwo three=3",
            "k=v=w",
            "=leading",
            "path=/tmp/x state=directory recurse=yes",
            "echo \"it's\" here",
            "msg={# comment #} z=1",
            "executable=/bin/bash ls -l | wc -l",
            "pg_ctl -D {{ PGDATA }} stop -m fast removes=/tmp/pid",
            "msg=\"a\\nb\" other=tab\\there",
            "x=\\u00e9\\x41 y=\\q",
            "echo 'a b' \\\ncontinued",
            "a='it\\'s' b=\"say \\\"hi\\\"\"",
            "echo \"{{ a }}\" {{ b }}");

    @Test
    void sameAsAnsible() throws IOException, InterruptedException {
        String python = interpreter();
        Path in = Files.createTempFile("kv-in", ".json");
        ObjectMapper json = new ObjectMapper();
        json.writeValue(in.toFile(), INPUTS);
        String script = String.join("\n",
                "import json, sys",
                "from ansible.parsing.splitter import split_args, parse_kv",
                "inputs = json.load(open(sys.argv[1]))",
                "out = [{'split': split_args(s), 'kv': parse_kv(s), 'raw': parse_kv(s, check_raw=True)} for s in inputs]",
                "print(json.dumps(out))");
        Process p = new ProcessBuilder(python, "-c", script, in.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        Files.deleteIfExists(in);
        List<Map<String, Object>> expected = json.readValue(text, new TypeReference<>() {});
        for (int i = 0; i < INPUTS.size(); i++) {
            String s = INPUTS.get(i);
            Map<String, Object> e = expected.get(i);
            assertThat(KvParser.split(s)).as("split_args(%s)", s).isEqualTo(e.get("split"));
            assertThat(new LinkedHashMap<>(KvParser.parse(s, false))).as("parse_kv(%s)", s).isEqualTo(e.get("kv"));
            assertThat(new LinkedHashMap<>(KvParser.parse(s, true))).as("parse_kv(%s, check_raw=True)", s)
                    .isEqualTo(e.get("raw"));
        }
    }

    /** The Python that runs ansible-playbook, so its ansible package is importable. */
    private static String interpreter() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "ansible-playbook");
            if (Files.isRegularFile(candidate)) {
                String first = Files.readAllLines(candidate, StandardCharsets.ISO_8859_1).get(0);
                if (first.startsWith("#!")) {
                    List<String> parts = new ArrayList<>(List.of(first.substring(2).trim().split("\\s+")));
                    // "#!/usr/bin/env python3" names the interpreter in its second word
                    return parts.get(0).endsWith("/env") ? parts.get(1) : parts.get(0);
                }
            }
        }
        return fail("ansible-playbook not found on PATH: install ansible-core 2.14");
    }
}
