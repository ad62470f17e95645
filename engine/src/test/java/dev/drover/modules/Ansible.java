package dev.drover.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The differential-test oracle: runs one module with {@code ansible localhost} and returns its result as a map.
 * Arguments go as JSON (ansible's -a accepts a JSON object), so values with spaces or quotes survive intact.
 */
final class Ansible {
    private Ansible() {}

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "ansible"))) return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(String module, Map<String, Object> args, boolean check, boolean diff)
            throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        List<String> cmd = new ArrayList<>(List.of("ansible", "localhost", "-c", "local", "-m", module,
                "-a", json.writeValueAsString(args)));
        if (check) cmd.add("--check");
        if (diff) cmd.add("--diff");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("ANSIBLE_LOAD_CALLBACK_PLUGINS", "1");
        env.put("ANSIBLE_STDOUT_CALLBACK", "json");
        env.put("ANSIBLE_LOCALHOST_WARNING", "0");
        env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "0");
        env.put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ansible did not finish");
        }
        JsonNode root = json.readTree(new String(out, StandardCharsets.UTF_8));
        JsonNode host = root.path("plays").path(0).path("tasks").path(0).path("hosts").path("localhost");
        if (host.isMissingNode()) throw new IOException("no result from ansible: " + new String(out, StandardCharsets.UTF_8));
        return json.convertValue(host, Map.class);
    }
}
