package dev.drover.playbook;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real ansible-playbook as the oracle. A missing ansible-playbook fails the test (CI installs
 * ansible-core); it never skips, so a green build always means "compared with Ansible".
 */
record Ansible(int exit, String out, String err) {

    static Ansible playbook(Path workDir, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ansible-playbook");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        // no user configuration may change what Ansible prints
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_ROLES_PATH", workDir.resolve("no-such-roles-dir").toString());
        try {
            Path out = Files.createTempFile("ansible-out", ".txt");
            Path err = Files.createTempFile("ansible-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("ansible-playbook did not finish within 120 s: " + cmd);
            }
            Ansible a = new Ansible(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return a;
        } catch (IOException e) {
            return fail("cannot run ansible-playbook (install ansible-core 2.14, e.g. 'pip install ansible-core==2.14.*'): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
