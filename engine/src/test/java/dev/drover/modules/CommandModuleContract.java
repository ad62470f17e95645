package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** command, shell and raw against any HostOps. */
abstract class CommandModuleContract extends ModuleTestBase {
    final CommandModule command = new CommandModule();
    final ShellModule shell = new ShellModule();
    final RawModule raw = new RawModule();

    @Test
    void commandRunsAndReturnsAnsibleKeys() throws Exception {
        ModuleResult r = run(command, args("_raw_params", "echo hello   world"));
        Map<String, Object> v = r.values();
        assertThat(r.changed()).isTrue();
        assertThat(r.failed()).isFalse();
        assertThat(v.get("cmd")).isEqualTo(List.of("echo", "hello", "world"));
        assertThat(v.get("rc")).isEqualTo(0);
        assertThat(v.get("stdout")).isEqualTo("hello world");
        assertThat(v.get("stdout_lines")).isEqualTo(List.of("hello world"));
        assertThat(v.get("msg")).isEqualTo("");
        assertThat((String) v.get("delta")).matches("\\d+:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat((String) v.get("start")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    }

    @Test
    void commandArgumentsAreDataNotShell() throws Exception {
        Path marker = hostDir().resolve("pwned");
        String evil = "$(touch " + marker + "); `touch " + marker + "` ' \" \n; | & > " + marker;
        ModuleResult r = run(command, args("argv", List.of("printf", "%s", evil)));
        assertThat(r.values().get("stdout")).isEqualTo(evil.strip());
        assertThat(Files.exists(marker)).isFalse();
        // free form: shell operators are plain arguments to echo
        ModuleResult f = run(command, args("_raw_params", "echo a ; touch " + marker));
        assertThat(f.values().get("stdout")).isEqualTo("a ; touch " + marker);
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void nonZeroExitFails() throws Exception {
        ModuleResult r = run(command, args("_raw_params", "sh -c 'echo oops >&2; exit 3'"));
        assertThat(r.failed()).isTrue();
        assertThat(r.changed()).isTrue();
        assertThat(r.values().get("rc")).isEqualTo(3);
        assertThat(r.values().get("msg")).isEqualTo("non-zero return code");
        assertThat(r.values().get("stderr")).isEqualTo("oops");
    }

    @Test
    void missingProgramIsReportedLikeAnsible() throws Exception {
        ModuleResult r = run(command, args("_raw_params", "drover-no-such-program x"));
        assertThat(r.failed()).isTrue();
        assertThat(r.changed()).isFalse();
        assertThat(r.values().get("rc")).isEqualTo(2);
        assertThat((String) r.values().get("msg")).contains("No such file or directory").contains("drover-no-such-program");
    }

    @Test
    void createsAndRemovesDecide() throws Exception {
        Path d = hostDir();
        Path made = d.resolve("made it");
        ModuleResult first = run(command, args("argv", List.of("touch", made.toString()), "creates", made.toString()));
        assertThat(first.changed()).isTrue();
        ModuleResult second = run(command, args("argv", List.of("touch", made.toString()), "creates", made.toString()));
        assertThat(second.changed()).isFalse();
        assertThat(second.values().get("msg")).isEqualTo("Did not run command since '" + made + "' exists");
        assertThat(second.values().get("stdout")).isEqualTo("skipped, since " + made + " exists");
        ModuleResult glob = run(command, args("_raw_params", "false", "creates", d + "/made*"));
        assertThat(glob.failed()).isFalse();
        assertThat(glob.changed()).isFalse();
        ModuleResult rm = run(command, args("_raw_params", "true", "removes", d + "/nothing-here"));
        assertThat(rm.changed()).isFalse();
        assertThat(rm.values().get("msg")).isEqualTo("Did not run command since '" + d + "/nothing-here' does not exist");
    }

    @Test
    void inlineOptionsInFreeFormText() throws Exception {
        Path d = hostDir();
        ModuleResult r = run(command, args("_raw_params", "pwd chdir=" + d));
        assertThat(r.values().get("stdout")).isEqualTo(d.toRealPath().toString());
        assertThat(r.values().get("cmd")).isEqualTo(List.of("pwd"));
    }

    @Test
    void chdirMissingFailsBeforeRunning() throws Exception {
        ModuleResult r = run(command, args("_raw_params", "pwd", "chdir", "/nonexistent/drover"));
        assertThat(r.failed()).isTrue();
        assertThat(r.values().get("msg"))
                .isEqualTo("Unable to change directory before execution: [Errno 2] No such file or directory: b'/nonexistent/drover'");
    }

    @Test
    void stdinAndNewline() throws Exception {
        assertThat(run(command, args("_raw_params", "cat", "stdin", "a'b$x")).values().get("stdout")).isEqualTo("a'b$x");
        ModuleResult raw = run(command, args("_raw_params", "od -c", "stdin", "z", "stdin_add_newline", false,
                "strip_empty_ends", false));
        assertThat((String) raw.values().get("stdout")).doesNotContain("\\n").endsWith("\n");
    }

    @Test
    void checkModeSkipsWithoutRunning() throws Exception {
        Path marker = hostDir().resolve("m");
        ModuleResult r = check(command, args("argv", List.of("touch", marker.toString())));
        assertThat(r.skipped()).isTrue();
        assertThat(r.changed()).isFalse();
        assertThat(r.values().get("msg")).isEqualTo("Command would have run if not in check mode");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void shellUsesShellAndExecutable() throws Exception {
        ModuleResult r = run(shell, args("_raw_params", "echo $((6*7)) | tr 4 X; echo err >&2"));
        assertThat(r.values().get("stdout")).isEqualTo("X2");
        assertThat(r.values().get("stderr")).isEqualTo("err");
        assertThat(r.values().get("cmd")).isEqualTo("echo $((6*7)) | tr 4 X; echo err >&2");
        ModuleResult bash = run(shell, args("_raw_params", "echo ${BASH_VERSION:+bash}", "executable", "/bin/bash"));
        assertThat(bash.values().get("stdout")).isEqualTo("bash");
        ModuleResult exit = run(shell, args("cmd", "exit 4"));
        assertThat(exit.failed()).isTrue();
        assertThat(exit.values().get("rc")).isEqualTo(4);
    }

    @Test
    void shellChdirWithAwkwardName() throws Exception {
        Path d = Files.createDirectories(hostDir().resolve("it's a $(dir)"));
        ModuleResult r = run(shell, args("_raw_params", "pwd", "chdir", d.toString()));
        assertThat(r.values().get("stdout")).isEqualTo(d.toRealPath().toString());
    }

    @Test
    void rawKeepsOutputAsIs() throws Exception {
        ModuleResult r = run(raw, args("_raw_params", "printf 'a\\nb\\n'"));
        assertThat(r.values().get("stdout")).isEqualTo("a\nb\n");
        assertThat(r.values().get("stdout_lines")).isEqualTo(List.of("a", "b"));
        assertThat(r.values()).doesNotContainKey("cmd");
        assertThat(run(raw, args("_raw_params", "exit 5")).failed()).isTrue();
    }

    @Test
    void unknownArgumentGetsSuggestion() {
        assertThatThrownBy(() -> run(command, args("_raw_params", "true", "chdri", "/tmp")))
                .hasMessageContaining("unsupported argument 'chdri'").hasMessageContaining("did you mean 'chdir'");
    }
}
