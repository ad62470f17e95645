package dev.drover.inventory;

import static org.assertj.core.api.Assertions.fail;

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

/**
 * Runs the real ansible-core as the reference for differential tests. ansible-core is required: CI installs
 * it, and a missing installation fails the tests instead of skipping them.
 */
final class AnsibleOracle {
    /** Where the test inventories are; Ansible and Drover both run with it as working directory. */
    static final Path ROOT = resource("inventory");

    private AnsibleOracle() {}

    static Path resource(String name) {
        try {
            return Path.of(AnsibleOracle.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("test resource missing: " + name, e);
        }
    }

    /** stdout of {@code ansible-inventory args...} run in {@code cwd}, without the final newline. */
    static String ansibleInventory(Path cwd, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ansible-inventory");
        cmd.addAll(args);
        return strip(run(cwd, cmd, null));
    }

    /** The hosts {@code ansible -i ... PATTERN --list-hosts [--limit L]} prints, in order. */
    static List<String> listHosts(Path cwd, List<String> sources, String pattern, String limit) {
        List<String> cmd = new ArrayList<>(List.of("ansible"));
        for (String s : sources) cmd.addAll(List.of("-i", s));
        cmd.add(pattern);
        cmd.add("--list-hosts");
        if (limit != null) cmd.addAll(List.of("--limit", limit));
        List<String> out = new ArrayList<>();
        for (String line : run(cwd, cmd, null).split("\n")) {
            if (line.startsWith("    ")) out.add(line.strip());
        }
        return out;
    }

    /** For each pattern: the host names ansible-core's InventoryManager selects, or {"error": message}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> patterns(Path cwd, List<String> sources, List<String> patterns, String limit) {
        try {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("sources", sources);
            request.put("patterns", patterns);
            request.put("limit", limit);
            ObjectMapper json = new ObjectMapper();
            String script = resource("inventory/oracle/patterns.py").toString();
            String out = run(cwd, List.of(python(), script), json.writeValueAsString(request));
            return json.readValue(out, LinkedHashMap.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Python that runs ansible (from the shebang of ansible-inventory), so its modules import. */
    private static String python() {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, "ansible-inventory");
            if (Files.isExecutable(p)) {
                try {
                    String first = Files.readAllLines(p, StandardCharsets.UTF_8).get(0);
                    if (first.startsWith("#!")) return first.substring(2).strip().split("\\s+")[0];
                } catch (IOException | RuntimeException e) {
                    break;
                }
            }
        }
        return "python3";
    }

    private static String run(Path cwd, List<String> cmd, String stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            pb.environment().put("ANSIBLE_NOCOLOR", "1");
            pb.environment().put("ANSIBLE_CONFIG", resource("inventory/oracle/ansible.cfg").toString());
            pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
            Path err = Files.createTempFile("ansible-oracle", ".err");
            pb.redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return fail("ansible-core is required for the differential tests (install ansible-core 2.14): " + e.getMessage());
            }
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("timed out: " + cmd);
            }
            String errText = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) return fail(cmd + " exited " + p.exitValue() + ":\n" + errText + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
