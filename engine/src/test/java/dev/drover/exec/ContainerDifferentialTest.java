package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * For users with Docker: the differential suite against sshd containers (Debian's OpenSSH), chosen automatically
 * when a Docker engine answers. Without Docker (as on the project's CI machine) JUnit skips it and the namespace
 * lab ({@code LabDifferentialTest}) remains the proof.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerDifferentialTest {
    private static Path keyDir;
    private static GenericContainer<?> host;
    private static Path inventory;

    /** Runs only when Docker answers: builds the sshd image with a fresh controller key and starts it. */
    @BeforeAll
    static void startHost(@TempDir Path dir) throws Exception {
        keyDir = dir;
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                dir.resolve("id_ed25519").toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("ssh-keygen failed");
        host = new GenericContainer<>(new ImageFromDockerfile("drover-e2e-sshd", false)
                .withFileFromPath("Dockerfile", Path.of("src/test/resources/e2e/container/Dockerfile"))
                .withFileFromPath("authorized_keys", dir.resolve("id_ed25519.pub")))
                .withExposedPorts(22);
        host.start();
        inventory = dir.resolve("containers.ini");
        Files.write(inventory, List.of(
                "[db]",
                "h1 ansible_host=" + host.getHost() + " ansible_port=" + host.getMappedPort(22),
                "",
                "[db:vars]",
                "ansible_user=root",
                "ansible_ssh_private_key_file=" + keyDir.resolve("id_ed25519"),
                "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'",
                "drover_host_key_policy=off",
                "ansible_python_interpreter=/usr/bin/python3"));
    }

    @AfterAll
    static void stopHost() {
        if (host != null) host.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"basics.yml", "blocks.yml", "handlers.yml"})
    void sameRecapAndValuesAsAnsibleOnAContainer(String playbook) throws Exception {
        DifferentialTest.Outcome ansible = DifferentialTest.ansible(inventory, playbook, List.of("-l", "h1"), Map.of());
        DifferentialTest.Outcome drover = DifferentialTest.drover(inventory, playbook, List.of("-l", "h1"));
        assertThat(drover.recap()).as(drover.output()).isEqualTo(ansible.recap());
        assertThat(drover.debug()).as(drover.output()).isEqualTo(ansible.debug());
    }
}
