package dev.drover.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover play} with secrets made by the real {@code ansible-vault}: a vaulted group_vars file, an inline
 * {@code !vault} play variable, a vaulted vars_files entry and a vaulted copy source, run on the local connection.
 * The values reach the host; the console of a {@code -vvv} run never shows them.
 */
class PlayVaultTest {
    private static final String GROUP_SECRET = "GroupVaultS3cret-42";
    private static final String INLINE_SECRET = "InlineT0ken-xyz";
    private static final String VARS_FILE_SECRET = "VarsFileK3y-abc";
    private static final String FILE_SECRET = "FileS3cretLine-qqq";

    @TempDir
    Path dir;
    Path pw;
    Path out;

    record Result(int exit, String output) {}

    private void ansibleVault(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
    }

    private String encryptString(String value) throws Exception {
        Path tmp = dir.resolve("inline.txt");
        Files.writeString(tmp, value);
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), tmp.toString());
        String env = Files.readString(tmp);
        Files.delete(tmp);
        StringBuilder sb = new StringBuilder("!vault |\n");
        for (String line : env.split("\n")) sb.append("      ").append(line).append('\n');
        return sb.toString();
    }

    @BeforeEach
    void project() throws Exception {
        pw = dir.resolve("vault-pass");
        Files.writeString(pw, "open sesame\n");
        out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(dir.resolve("hosts"), "[db]\nlocalhost ansible_connection=local\n");
        Files.createDirectories(dir.resolve("group_vars"));
        Path gv = dir.resolve("group_vars/db.yml");
        Files.writeString(gv, "db_password: " + GROUP_SECRET + "\nport: 5432\n");
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), gv.toString());
        Path vf = dir.resolve("secrets.yml");
        Files.writeString(vf, "api_key: " + VARS_FILE_SECRET + "\n");
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), vf.toString());
        Files.createDirectories(dir.resolve("files"));
        Path src = dir.resolve("files/secret.conf");
        Files.writeString(src, FILE_SECRET + "\n");
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), src.toString());
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: db
                  gather_facts: false
                  vars_files:
                    - secrets.yml
                  vars:
                    token: %s
                  tasks:
                    - name: show the secrets
                      debug:
                        msg: "pw={{ db_password }} token={{ token }} key={{ api_key }} port={{ port }}"
                    - name: debug var
                      debug:
                        var: token
                    - name: write them
                      copy:
                        content: "{{ db_password }}|{{ token }}|{{ api_key }}\\n"
                        dest: "%s/values"
                    - name: copy a vaulted file
                      copy:
                        src: secret.conf
                        dest: "%s/secret.conf"
                    - name: echo one
                      command: echo {{ db_password }}
                      register: echoed
                    - name: a failing task that names the secret
                      fail:
                        msg: "bad {{ token }}"
                      ignore_errors: true
                """.formatted(encryptString(INLINE_SECRET).replace("\n", "\n      ").strip(), out, out));
    }

    private Result play(String... extra) {
        List<String> args = new ArrayList<>(List.of("play", "-i", dir.resolve("hosts").toString()));
        args.addAll(List.of(extra));
        args.add(dir.resolve("site.yml").toString());
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(String[]::new));
        return new Result(code, o + "\n" + e);
    }

    @Test
    void vaultedValuesReachTheHostAndNeverTheConsole() throws IOException {
        Result r = play("-vvv", "--vault-password-file", pw.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.readString(out.resolve("values")))
                .isEqualTo(GROUP_SECRET + "|" + INLINE_SECRET + "|" + VARS_FILE_SECRET + "\n");
        assertThat(Files.readString(out.resolve("secret.conf"))).isEqualTo(FILE_SECRET + "\n");
        for (String secret : List.of(GROUP_SECRET, INLINE_SECRET, VARS_FILE_SECRET, FILE_SECRET)) {
            assertThat(r.output()).as(r.output()).doesNotContain(secret);
        }
        assertThat(r.output()).contains("pw=" + Secrets.MASK + " token=" + Secrets.MASK)
                .contains("port=5432"); // only vaulted values are hidden
    }

    /** Role defaults, include_vars, a template source, a file lookup and -e @file, each vaulted as a whole. */
    @Test
    void vaultedRoleDefaultsIncludeVarsTemplatesAndExtraVars() throws Exception {
        Path role = dir.resolve("roles/app");
        Files.createDirectories(role.resolve("defaults"));
        Files.createDirectories(role.resolve("tasks"));
        Files.createDirectories(role.resolve("templates"));
        Files.writeString(role.resolve("defaults/main.yml"), "role_secret: R0leDefault-77\n");
        Files.writeString(role.resolve("templates/app.conf.j2"), "secret={{ role_secret }} inc={{ inc_secret }}"
                + " extra={{ extra_secret }}\n");
        Files.writeString(dir.resolve("inc.yml"), "inc_secret: Inc1uded-88\n");
        Files.writeString(dir.resolve("extra.yml"), "extra_secret: ExtraV4rs-99\n");
        for (String f : List.of("roles/app/defaults/main.yml", "roles/app/templates/app.conf.j2", "inc.yml", "extra.yml")) {
            ansibleVault("encrypt", "--vault-password-file", pw.toString(), dir.resolve(f).toString());
        }
        Files.writeString(role.resolve("tasks/main.yml"), """
                - include_vars: "{{ playbook_dir }}/inc.yml"
                - template:
                    src: app.conf.j2
                    dest: "%s/app.conf"
                - debug:
                    msg: "{{ role_secret }} {{ inc_secret }} {{ extra_secret }}"
                - debug:
                    msg: "looked up {{ lookup('file', 'token.txt') }}"
                """.formatted(out));
        Files.writeString(dir.resolve("files/token.txt"), "L00kedUp-55\n");
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), dir.resolve("files/token.txt").toString());
        Files.writeString(dir.resolve("site.yml"), "- hosts: db\n  gather_facts: false\n  roles: [app]\n");
        Result r = play("-v", "--vault-password-file", pw.toString(), "-e", "@" + dir.resolve("extra.yml"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.readString(out.resolve("app.conf")))
                .isEqualTo("secret=R0leDefault-77 inc=Inc1uded-88 extra=ExtraV4rs-99\n");
        assertThat(r.output()).doesNotContain("R0leDefault-77").doesNotContain("Inc1uded-88")
                .doesNotContain("ExtraV4rs-99").contains(Secrets.MASK + " " + Secrets.MASK + " " + Secrets.MASK)
                .doesNotContain("L00kedUp-55").contains("looked up " + Secrets.MASK);
    }

    @Test
    void inventoryShowsVaultedGroupVarsLikeAnsibleInventory() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), "inventory", "-i",
                dir.resolve("hosts").toString(), "--host", "localhost", "--vault-password-file", pw.toString());
        assertThat(code).as(e.toString()).isZero();
        assertThat(o.toString()).contains("\"db_password\": \"" + GROUP_SECRET + "\"");
        int none = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), "inventory", "-i",
                dir.resolve("hosts").toString(), "--host", "localhost");
        assertThat(none).isEqualTo(4);
        assertThat(e.toString()).contains("db.yml: Attempting to decrypt but no vault secrets found");
    }

    /** ANSIBLE_VAULT_PASSWORD_FILE alone opens a playbook vaulted as a whole (read when it is loaded). */
    @Test
    void environmentPasswordFileOpensAVaultedPlaybook() throws Exception {
        Path book = dir.resolve("vaulted-book.yml");
        Files.writeString(book, "- hosts: db\n  tasks:\n    - debug: {msg: hi}\n");
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), book.toString());
        List<dev.drover.playbook.Playbook> seen = new ArrayList<>();
        dev.drover.playbook.PlaybookRunner runner = (o, books) -> {
            seen.addAll(books);
            return 0;
        };
        StringWriter err = new StringWriter();
        java.util.function.Function<Map<String, String>, Integer> run = env -> new picocli.CommandLine(
                new dev.drover.cli.PlayCommand(new dev.drover.cli.PlayCommand.Wiring(runner, new dev.drover.playbook.NativeActions(Set.of(), Set.of("debug")),
                        List.of(), List.of(), null, env))).setErr(new PrintWriter(err, true)).execute(book.toString());
        assertThat(run.apply(Map.of("ANSIBLE_VAULT_PASSWORD_FILE", pw.toString()))).as(err.toString()).isZero();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).plays().get(0).tasks()).hasSize(1);
        assertThat(run.apply(Map.of())).isNotZero();
        assertThat(err.toString()).contains("vaulted-book.yml: Attempting to decrypt but no vault secrets found");
    }

    @Test
    void passwordFromALabelledVaultId() {
        Result r = play("--vault-id", "prod@" + pw);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain(INLINE_SECRET);
    }

    @Test
    void wrongPasswordIsBadInputNamingTheFile() throws IOException {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not it\n");
        Result r = play("--vault-password-file", wrong.toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(4);
        // the inventory's vaulted group_vars are read first (the run's secrets are collected before it starts)
        assertThat(r.output()).contains("group_vars/db.yml: Decryption failed (no vault secrets were found");
        assertThat(r.output()).doesNotContain("Exception").doesNotContain("\tat ");

        Result none = play();
        assertThat(none.exit()).as(none.output()).isEqualTo(4);
        assertThat(none.output()).contains("Attempting to decrypt but no vault secrets found");
    }

    @Test
    void wrongPasswordForAVaultedGroupVarsFile() throws IOException {
        Files.writeString(dir.resolve("site.yml"), Files.readString(dir.resolve("site.yml"))
                .replace("  vars_files:\n    - secrets.yml\n", ""));
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not it\n");
        Result r = play("--vault-password-file", wrong.toString());
        assertThat(r.output()).contains("group_vars/db.yml: Decryption failed (no vault secrets were found");
        assertThat(r.exit()).as(r.output()).isEqualTo(4);
    }

    /**
     * An inline value is opened when a task uses it, after the run started: as in ansible-playbook (checked
     * with 2.14) that task fails (exit 2) with the decryption error, which here names the value's line.
     */
    @Test
    void wrongPasswordForAnInlineValueFailsTheTaskNamingItsLine() throws IOException {
        Files.delete(dir.resolve("group_vars/db.yml"));
        Files.writeString(dir.resolve("site.yml"), Files.readString(dir.resolve("site.yml"))
                .replace("  vars_files:\n    - secrets.yml\n", "").replace("pw={{ db_password }} ", "")
                .replace("key={{ api_key }} port={{ port }}", ""));
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not it\n");
        Result r = play("--vault-password-file", wrong.toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("fatal: [localhost]: FAILED!").contains("site.yml:4:12: Decryption failed (no vault secrets were found that could"
                + " decrypt; tried default)");
    }
}
