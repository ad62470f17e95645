package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HostOps contract; every implementation (agentless, agent) runs these through a subclass. */
abstract class HostOpsContract {
    @TempDir
    Path tmp;
    HostOps ops;

    protected abstract HostOps newHost() throws Exception;

    @BeforeEach
    void open() throws Exception {
        ops = newHost();
    }

    @AfterEach
    void close() throws Exception {
        ops.close();
    }

    static final String NASTY = "a b'c\"d$(touch x)`id`;|&><\n*?[e]\\f";

    @Test
    void argvReachesProgramVerbatim() throws Exception {
        ExecResult r = ops.exec(ExecSpec.argv(List.of("printf", "%s|%s", NASTY, "")).withChdir(tmp.toString()));
        assertThat(r.rc()).isZero();
        assertThat(r.stdoutText()).isEqualTo(NASTY + "|");
        try (var s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void shellEnvChdirStdin() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("d '$x'"));
        ExecResult r = ops.exec(ExecSpec.shell("pwd; printf '%s\\n' \"$V\"; cat; exit 7").withEnv(Map.of("V", NASTY))
                .withChdir(d.toString()).withStdin("in\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.rc()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo(d.toRealPath() + "\n" + NASTY + "\nin\n");
    }

    @Test
    void argvProgramIsLookedUpOnTheGivenPath() throws Exception {
        // A playbook's `environment: {PATH: ...}` must pick the program, as execvp does (the agent once used its own PATH).
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path tool = bin.resolve("drover-path-probe");
        Files.writeString(tool, "#!/bin/sh\necho found \"$@\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        ExecResult r = ops.exec(ExecSpec.argv(List.of("drover-path-probe", "x")).withEnv(Map.of("PATH", bin + ":/usr/bin:/bin")));
        assertThat(r.rc()).isZero();
        assertThat(r.stdoutText()).isEqualTo("found x\n");
    }

    @Test
    void timeoutStopsCommand() {
        // A timeout fails the task; it does not make the host unreachable.
        assertThatThrownBy(() -> ops.exec(ExecSpec.shell("sleep 20").withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(dev.drover.transport.CommandTimeoutException.class)
                .hasMessageContaining("timed out");
    }

    @Test
    void statFileDirLinkMissing() throws Exception {
        Path f = tmp.resolve("f\nnewline");
        Files.writeString(f, "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        FileStat s = ops.stat(f.toString(), true, false);
        assertThat(s.exists()).isTrue();
        assertThat(s.isFile()).isTrue();
        assertThat(s.size()).isEqualTo(6);
        assertThat(s.mode()).isEqualTo(0640);
        assertThat(s.checksum()).isEqualTo("f572d396fae9206628714fb2ce00f72e94f2258f");
        assertThat(ops.stat(tmp.toString(), true, false).isDirectory()).isTrue();
        assertThat(ops.stat(tmp.toString(), true, false).checksum()).isNull();
        Path l = tmp.resolve("link");
        Files.createSymbolicLink(l, Path.of("f\nnewline"));
        FileStat ls = ops.stat(l.toString(), false, false);
        assertThat(ls.isLink()).isTrue();
        assertThat(ls.linkTarget()).isEqualTo("f\nnewline");
        assertThat(ops.stat(l.toString(), true, true).isFile()).isTrue();
        Files.createSymbolicLink(tmp.resolve("dangling"), Path.of("nowhere"));
        assertThat(ops.stat(tmp + "/dangling", false, false).exists()).isTrue();
        assertThat(ops.stat(tmp + "/dangling", false, true).exists()).isFalse();
        assertThat(ops.stat(tmp + "/missing", true, true)).isEqualTo(FileStat.missing(tmp + "/missing"));
    }

    @Test
    void writeReadAttrsAtomically() throws Exception {
        String p = tmp + "/w $(x)";
        ops.writeFile(p, "one".getBytes(StandardCharsets.UTF_8), new FileAttrs(0600, null, null));
        assertThat(ops.readFile(p)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat(ops.stat(p, false, false).mode()).isEqualTo(0600);
        ops.writeFile(p, "two".getBytes(StandardCharsets.UTF_8), FileAttrs.NONE);
        assertThat(ops.stat(p, false, false).mode()).as("mode kept on replace").isEqualTo(0600);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("w $(x)");
        }
        assertThat(ops.setAttrs(p, new FileAttrs(0600, null, null))).isFalse();
        assertThat(ops.setAttrs(p, new FileAttrs(0644, null, null))).isTrue();
        String me = ops.stat(p, false, false).owner();
        assertThat(ops.setAttrs(p, new FileAttrs(null, me, null))).isFalse();
        assertThatThrownBy(() -> ops.readFile(tmp + "/nope")).hasMessageContaining("nope");
    }

    @Test
    void mkdirsSymlinkRemove() throws Exception {
        String d = tmp + "/a/b c/d";
        ops.mkdirs(d, new FileAttrs(0700, null, null));
        assertThat(Files.isDirectory(Path.of(d))).isTrue();
        assertThat(ops.stat(d, false, false).mode()).isEqualTo(0700);
        ops.symlink(d, tmp + "/ln");
        ops.symlink(tmp + "/a", tmp + "/ln");
        assertThat(Files.readSymbolicLink(tmp.resolve("ln")).toString()).isEqualTo(tmp + "/a");
        assertThat(ops.remove(tmp + "/ln", false)).isTrue();
        assertThat(Files.exists(Path.of(d))).as("link removal leaves target").isTrue();
        assertThat(ops.remove(tmp + "/ln", false)).isFalse();
        assertThatThrownBy(() -> ops.remove(tmp + "/a", false)).isInstanceOf(java.io.IOException.class);
        assertThat(ops.remove(tmp + "/a", true)).isTrue();
        assertThat(Files.exists(tmp.resolve("a"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void factsHaveAnsibleShape() throws Exception {
        Map<String, Object> f = ops.facts();
        assertThat(f).containsKeys("hostname", "fqdn", "default_ipv4", "distribution", "distribution_version",
                "os_family", "kernel", "architecture", "processor_vcpus", "memtotal_mb", "mounts", "date_time", "env");
        assertThat((String) f.get("hostname")).isNotEmpty();
        assertThat((Integer) f.get("processor_vcpus")).isPositive();
        assertThat((Long) f.get("memtotal_mb")).isPositive();
        assertThat(f.get("system")).isEqualTo("Linux");
        assertThat((List<?>) f.get("mounts")).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) ((List<?>) f.get("mounts")).get(0);
        assertThat(m).containsKeys("mount", "device", "fstype", "size_total", "size_available");
        @SuppressWarnings("unchecked")
        Map<String, Object> dt = (Map<String, Object>) f.get("date_time");
        assertThat((String) dt.get("date")).matches("\\d{4}-\\d\\d-\\d\\d");
    }

    /** Both implementations report Debian's point release as Ansible does (the agent and agentless once differed). */
    @Test
    void debianVersionIsThePointRelease() throws Exception {
        Path debianVersion = Path.of("/etc/debian_version");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(debianVersion), "not a Debian controller");
        String point = Files.readAllLines(debianVersion).get(0).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(point.matches("\\d+(\\.\\d+)*"), "a Debian testing/sid controller");
        assertThat(ops.facts()).containsEntry("distribution_version", point);
    }
}
