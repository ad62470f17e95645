package dev.drover.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.cli.Main;
import dev.drover.error.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover vault create} and {@code edit} with real editors: small shell scripts given as EDITOR that write
 * given content, exit 1, or leave the file alone. Results are checked with Drover and with the real
 * {@code ansible-vault}; TMPDIR points at a directory of the test so no plaintext may be left there.
 */
class VaultEditTest {
    private static final String SECRET = "db_password: s3cr3t-ünïcode\n";

    @TempDir
    Path dir;
    Path tmp;
    Path pw;
    Path editorLog;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createDirectory(dir.resolve("tmp"));
        pw = dir.resolve("pw");
        Files.writeString(pw, "hunter2\n");
        editorLog = dir.resolve("editor.log");
    }

    record Proc(int exit, String out) {}

    private Proc drover(String editor, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("EDITOR", editor, "TMPDIR", tmp.toString()), args);
        return new Proc(code, out + err.toString());
    }

    private Proc ansibleVault(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), out);
    }

    /**
     * An editor script (its path has a space, so EDITOR must be quoted) that logs what it was given: the file's
     * name, its directory's and its own mode, its content; then runs {@code action} with the file as "$f".
     */
    private String editor(String name, String action) throws IOException {
        Path script = dir.resolve("bin dir").resolve(name);
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n"
                + "for a; do f=$a; done\n" // the file is the last argument, after EDITOR's own
                + "{ echo \"args: $*\"; stat -c 'dir %a' \"$(dirname \"$f\")\"; stat -c 'file %a' \"$f\";"
                + " echo \"was: $(cat \"$f\")\"; } >> '" + editorLog + "'\n"
                + action + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return "'" + script + "' --wait";
    }

    /** An editor that saves {@code content} (and leaves a swap file beside it, as vi does), then exits {@code status}. */
    private String writing(String content, int status) throws IOException {
        Path src = dir.resolve("new-content-" + status);
        Files.writeString(src, content);
        return editor("write" + status, "cat '" + src + "' > \"$f\"\necho swap > \"$(dirname \"$f\")/.swp\"\nexit " + status);
    }

    private void assertNoTempLeft() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.toList()).as("plaintext temp files left behind").isEmpty();
        }
    }

    private String ansibleView(String... vaultArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("view"));
        args.addAll(List.of(vaultArgs));
        Proc p = ansibleVault(Map.of(), args.toArray(String[]::new));
        assertThat(p.exit()).as(p.out()).isZero();
        return p.out();
    }

    @Test
    void createEncryptsWhatTheEditorSavedAndAnsibleVaultOpensIt() throws Exception {
        Path f = dir.resolve("vault.yml");
        Proc p = drover(writing(SECRET, 0), "vault", "create", "--vault-password-file", pw.toString(), f.toString());
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(p.out()).contains("Created").doesNotContain("s3cr3t").doesNotContain("hunter2");
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n").doesNotContain("s3cr3t");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        // the editor got its own arguments, then a private empty file named like the target
        String log = Files.readString(editorLog);
        assertThat(log).contains("args: --wait " + tmp + "/drover-vault-").contains("/vault.yml\n")
                .contains("dir 700\n").contains("file 600\n").contains("was: \n");
        assertNoTempLeft();
        try (Stream<Path> s = Files.list(dir)) { // the atomic write left no temp file beside the target
            assertThat(s.filter(x -> x.getFileName().toString().contains("drover-tmp")).toList()).isEmpty();
        }
        assertThat(drover("true", "vault", "view", "--vault-password-file", pw.toString(), f.toString()).out())
                .isEqualTo(SECRET);
        assertThat(ansibleView("--vault-password-file", pw.toString(), f.toString())).isEqualTo(SECRET);
    }

    @Test
    void createWithALabelledVaultIdWritesA12Header() throws Exception {
        Path f = dir.resolve("prod.yml");
        Proc p = drover(writing(SECRET, 0), "vault", "create", "--vault-id", "prod@" + pw, f.toString());
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        assertThat(ansibleView("--vault-id", "prod@" + pw, f.toString())).isEqualTo(SECRET);
        assertNoTempLeft();
    }

    @Test
    void createRefusesAnExistingFileBeforeTheEditorRuns() throws Exception {
        Path f = dir.resolve("there.yml");
        Files.writeString(f, "keep me\n");
        Proc p = drover(writing(SECRET, 0), "vault", "create", "--vault-password-file", pw.toString(), f.toString());
        assertThat(p.exit()).isEqualTo(5);
        assertThat(p.out()).isEqualTo("ERROR: " + f + " exists, please use 'edit' instead\n");
        assertThat(Files.readString(f)).isEqualTo("keep me\n");
        assertThat(editorLog).doesNotExist();
        assertNoTempLeft();
    }

    @Test
    void createWithAFailingEditorWritesNothing() throws Exception {
        Path f = dir.resolve("sub").resolve("vault.yml");
        Proc p = drover(writing(SECRET, 1), "vault", "create", "--vault-password-file", pw.toString(), f.toString());
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.out()).contains("exited with status 1; nothing was written").doesNotContain("s3cr3t")
                .hasLineCount(1);
        assertThat(editorLog).exists(); // it ran, and saved before failing
        assertThat(f.getParent()).doesNotExist(); // the missing directory is made only for a file to write
        assertNoTempLeft();

        Proc missing = drover("/nonexistent/editor -w", "vault", "create", "--vault-password-file", pw.toString(),
                f.toString());
        assertThat(missing.exit()).isEqualTo(5);
        assertThat(missing.out()).startsWith("ERROR: cannot start the editor '/nonexistent/editor -w'")
                .hasLineCount(1);
        assertThat(f.getParent()).doesNotExist();
        assertNoTempLeft();
    }

    @Test
    void createWithNothingSavedWritesAnEmptyVaultAsAnsibleVaultDoes() throws Exception {
        String untouched = editor("noop", "exit 0");
        Path mine = dir.resolve("new").resolve("mine.yml");
        Proc p = drover(untouched, "vault", "create", "--vault-password-file", pw.toString(), mine.toString());
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(p.out()).contains("does not exist, creating it").contains("an empty vault");
        assertNoTempLeft();

        Path theirs = dir.resolve("theirs.yml");
        Proc a = ansibleVault(Map.of("EDITOR", untouched), "create", "--vault-password-file", pw.toString(),
                theirs.toString());
        assertThat(a.exit()).as(a.out()).isZero();
        assertThat(Files.readString(theirs)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
        for (Path f : List.of(mine, theirs)) {
            assertThat(drover("true", "vault", "view", "--vault-password-file", pw.toString(), f.toString()).out())
                    .isEmpty();
            assertThat(ansibleView("--vault-password-file", pw.toString(), f.toString())).isEqualTo("\n"); // its display adds one
        }
    }

    @Test
    void editReencryptsWithTheFilesVaultIdAndKeepsItsMode() throws Exception {
        Path dev = dir.resolve("dev.pw");
        Files.writeString(dev, "dev-pass\n");
        Path f = dir.resolve("prod.yml");
        Files.writeString(f, SECRET);
        assertThat(ansibleVault(Map.of(), "encrypt", "--vault-id", "prod@" + pw, f.toString()).exit()).isZero();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Proc p = drover(writing("db_password: changed\n", 0), "vault", "edit", "--vault-id", "dev@" + dev,
                "--vault-id", "prod@" + pw, f.toString());
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(p.out()).contains("saved").doesNotContain("s3cr3t").doesNotContain("changed");
        assertThat(Files.readString(editorLog)).contains("was: " + SECRET.strip());
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(ansibleView("--vault-id", "prod@" + pw, f.toString())).isEqualTo("db_password: changed\n");
        assertNoTempLeft();
    }

    @Test
    void editKeepsA11HeaderAndRewritesASymlinksTarget() throws Exception {
        Path target = dir.resolve("real.yml");
        Files.writeString(target, VaultFormat.encrypt(SECRET.getBytes(StandardCharsets.UTF_8),
                "hunter2".getBytes(StandardCharsets.UTF_8), null));
        Path link = Files.createSymbolicLink(dir.resolve("link.yml"), target.getFileName());
        // a labelled secret opens the 1.1 file; the header stays 1.1, as ansible-vault keeps it
        Proc p = drover(writing("x: 1\n", 0), "vault", "edit", "--vault-id", "prod@" + pw, link.toString());
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
        assertThat(ansibleView("--vault-password-file", pw.toString(), target.toString())).isEqualTo("x: 1\n");
    }

    @Test
    void editWithUnchangedContentLeavesTheFileAlone() throws Exception {
        Path f = dir.resolve("vault.yml");
        Files.writeString(f, SECRET);
        assertThat(ansibleVault(Map.of(), "encrypt", "--vault-password-file", pw.toString(), f.toString()).exit())
                .isZero();
        FileTime old = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(f, old);
        byte[] before = Files.readAllBytes(f);
        // one editor leaves the file alone, one writes the same content back (vi's ":wq")
        Path same = dir.resolve("same");
        Files.writeString(same, SECRET);
        for (String ed : List.of(editor("noop", "exit 0"), editor("same", "cat '" + same + "' > \"$f\""))) {
            Proc p = drover(ed, "vault", "edit", "--vault-password-file", pw.toString(), f.toString());
            assertThat(p.exit()).as(p.out()).isZero();
            assertThat(p.out()).contains("unchanged");
            assertThat(Files.readAllBytes(f)).isEqualTo(before);
            assertThat(Files.getLastModifiedTime(f)).isEqualTo(old);
            assertNoTempLeft();
        }
    }

    @Test
    void editWithAFailingEditorLeavesTheFileAsItWas() throws Exception {
        Path f = dir.resolve("vault.yml");
        Files.writeString(f, VaultFormat.encrypt(SECRET.getBytes(StandardCharsets.UTF_8),
                "hunter2".getBytes(StandardCharsets.UTF_8), "prod"));
        byte[] before = Files.readAllBytes(f);
        Proc p = drover(writing("ruined: true\n", 1), "vault", "edit", "--vault-password-file", pw.toString(),
                f.toString());
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.out()).contains("exited with status 1; nothing was written").hasLineCount(1)
                .doesNotContain("s3cr3t");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertNoTempLeft();
    }

    @Test
    void editRefusesWrongPasswordsMissingAndPlainFilesWithoutRunningTheEditor() throws Exception {
        Path f = dir.resolve("vault.yml");
        Files.writeString(f, VaultFormat.encrypt(SECRET.getBytes(StandardCharsets.UTF_8),
                "other".getBytes(StandardCharsets.UTF_8), null));
        String ed = writing("x: 1\n", 0);
        Proc wrong = drover(ed, "vault", "edit", "--vault-password-file", pw.toString(), f.toString());
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.out()).isEqualTo("ERROR: " + f + ": Decryption failed (no vault secrets were found that"
                + " could decrypt; tried default)\n");
        Proc missing = drover(ed, "vault", "edit", "--vault-password-file", pw.toString(), dir + "/nope.yml");
        assertThat(missing.exit()).isEqualTo(5);
        assertThat(missing.out()).isEqualTo("ERROR: file '" + dir + "/nope.yml' not found\n");
        Path plain = dir.resolve("plain.yml");
        Files.writeString(plain, SECRET);
        Proc notVault = drover(ed, "vault", "edit", "--vault-password-file", pw.toString(), plain.toString());
        assertThat(notVault.exit()).isEqualTo(4);
        assertThat(notVault.out()).contains("input is not vault encrypted data").doesNotContain("s3cr3t");
        Proc noPassword = drover(ed, "vault", "edit", f.toString());
        assertThat(noPassword.exit()).isEqualTo(5);
        assertThat(editorLog).doesNotExist();
        assertNoTempLeft();
    }

    @Test
    void helpListsCreateAndEdit() {
        Proc p = drover("true", "vault", "--help");
        assertThat(p.out()).contains("create").contains("edit");
        assertThat(drover("true", "vault", "edit", "--help").out()).contains("$EDITOR");
    }

    @Test
    void editorCommandsAreSplitLikeAShellDoes() {
        assertThat(VaultEditor.shellWords("code -w")).containsExactly("code", "-w");
        assertThat(VaultEditor.shellWords("  '/opt/my editor/bin' --arg \"a b\" c\\ d e\"f\"'g' \"q\\\"x\\n\" ''"))
                .containsExactly("/opt/my editor/bin", "--arg", "a b", "c d", "efg", "q\"x\\n", "");
        assertThat(VaultEditor.shellWords("")).isEmpty();
        assertThatThrownBy(() -> VaultEditor.shellWords("vim 'oops")).isInstanceOf(UserError.class)
                .hasMessageContaining("unterminated quote");
    }
}
