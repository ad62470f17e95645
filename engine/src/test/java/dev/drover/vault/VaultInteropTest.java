package dev.drover.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.cli.Main;
import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.yaml.VaultText;
import dev.drover.yaml.YamlReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real {@code ansible-vault} (ansible-core 2.14, installed by .ci/install-deps): what
 * it encrypts, Drover opens; what Drover encrypts, it opens; with the same salt both write identical bytes.
 */
class VaultInteropTest {
    private static final String PLAIN = "db_password: \"s3cr3t-ünïcode\"\nreplication: {user: repl, password: r3pl}\n";

    @TempDir
    Path dir;

    private Path passFile(String name, String password) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, password + "\n"); // trailing newline stripped, as Ansible does
        return p;
    }

    record Proc(int exit, String out) {}

    private Proc ansibleVault(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), out);
    }

    private static Proc drover(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Proc(code, out + err.toString());
    }

    @Test
    void sameSaltGivesTheSameBytesAsAnsibleVault() throws Exception {
        Path pw = passFile("pw", "correct horse");
        Path f = dir.resolve("a.yml");
        Files.writeString(f, PLAIN);
        // ansible-vault always draws a random salt; its library takes one, which makes its output comparable
        String salt = "0123456789abcdef0123456789abcdef";
        Path py = dir.resolve("enc.py");
        Files.writeString(py, "import sys\nfrom ansible.parsing.vault import VaultAES256, VaultSecret,"
                + " format_vaulttext_envelope\nct = VaultAES256.encrypt(open(sys.argv[1], 'rb').read(),"
                + " VaultSecret(b'correct horse'), salt=sys.argv[2])\nsys.stdout.buffer.write("
                + "format_vaulttext_envelope(ct, 'AES256'))\n");
        String python = Files.readAllLines(Path.of("/usr/bin/ansible-vault")).get(0).substring(2).strip(); // its interpreter
        ProcessBuilder pb = new ProcessBuilder(python, py.toString(), f.toString(), salt).redirectErrorStream(true);
        Process p = pb.start();
        String ansible = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(ansible).isZero();
        assertThat(ansible).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
        String mine = VaultFormat.encrypt(PLAIN.getBytes(StandardCharsets.UTF_8),
                "correct horse".getBytes(StandardCharsets.UTF_8), null, salt.getBytes(StandardCharsets.US_ASCII));
        assertThat(mine).isEqualTo(ansible);
        Files.writeString(f, mine);
        assertThat(ansibleVault(Map.of(), "view", "--vault-password-file", pw.toString(), f.toString()).out())
                .isEqualTo(PLAIN);
        assertThat(mine.lines()).allMatch(l -> l.length() <= 80);
        assertThat(mine).startsWith("$ANSIBLE_VAULT;1.1;AES256\n").endsWith("\n");
    }

    @Test
    void filesEncryptedByAnsibleVaultOpenInDrover() throws Exception {
        Path pw = passFile("pw", "hunter2");
        Path f = dir.resolve("secret.yml");
        Files.writeString(f, PLAIN);
        assertThat(ansibleVault(Map.of(), "encrypt", "--vault-password-file", pw.toString(), f.toString()).exit()).isZero();
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.1;AES256");

        Proc view = drover("vault", "view", "--vault-password-file", pw.toString(), f.toString());
        assertThat(view.exit()).as(view.out()).isZero();
        assertThat(view.out()).contains(PLAIN);

        Vault v = new Vault(VaultPasswords.read(List.of("default@" + pw), null), new Secrets());
        assertThat(YamlReader.load(f, v)).isEqualTo(Map.of("db_password", "s3cr3t-ünïcode",
                "replication", Map.of("user", "repl", "password", "r3pl")));
        assertThat(v.secrets().redact("pw is s3cr3t-ünïcode")).isEqualTo("pw is " + Secrets.MASK);

        Proc dec = drover("vault", "decrypt", "--vault-password-file", pw.toString(), f.toString());
        assertThat(dec.exit()).as(dec.out()).isZero();
        assertThat(Files.readString(f)).isEqualTo(PLAIN);
    }

    @Test
    void droverOutputDecryptsWithAnsibleVault() throws Exception {
        Path pw = passFile("pw", "hunter2");
        Path f = dir.resolve("secret.yml");
        Files.writeString(f, PLAIN);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Proc enc = drover("vault", "encrypt", "--vault-password-file", pw.toString(), f.toString());
        assertThat(enc.exit()).as(enc.out()).isZero();
        assertThat(enc.out()).contains("Encryption successful");
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n").doesNotContain("s3cr3t");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        try (var s = Files.list(dir)) { // the atomic rewrite leaves no temp file behind
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("pw", "secret.yml");
        }
        assertThat(drover("vault", "encrypt", "--vault-password-file", pw.toString(), f.toString()).out())
                .contains("already encrypted");

        Proc view = ansibleVault(Map.of(), "view", "--vault-password-file", pw.toString(), f.toString());
        assertThat(view.exit()).as(view.out()).isZero();
        assertThat(view.out()).isEqualTo(PLAIN);

        Path copy = dir.resolve("copy.yml");
        Proc out = drover("vault", "decrypt", "--vault-password-file", pw.toString(), "--output", copy.toString(),
                f.toString());
        assertThat(out.exit()).as(out.out()).isZero();
        assertThat(Files.readString(copy)).isEqualTo(PLAIN);
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT"); // --output leaves the input alone
    }

    @Test
    void vaultIdsBothWays() throws Exception {
        Path dev = passFile("dev.pw", "dev-pass");
        Path prod = passFile("prod.pw", "prod-pass");
        Path f = dir.resolve("prod.yml");
        Files.writeString(f, "token: prod-token-123\n");
        assertThat(ansibleVault(Map.of(), "encrypt", "--vault-id", "prod@" + prod, f.toString()).exit()).isZero();
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        assertThat(VaultFormat.vaultIdOf(Files.readString(f))).isEqualTo("prod");
        Proc view = drover("vault", "view", "--vault-id", "dev@" + dev, "--vault-id", "prod@" + prod, f.toString());
        assertThat(view.exit()).as(view.out()).isZero();
        assertThat(view.out()).isEqualTo("token: prod-token-123\n");

        Proc enc = drover("vault", "encrypt_string", "--vault-id", "dev@" + dev, "--vault-id", "prod@" + prod,
                "--encrypt-vault-id", "prod", "--name", "api_key", "k3y-v4lue");
        assertThat(enc.exit()).as(enc.out()).isZero();
        assertThat(enc.out()).startsWith("api_key: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;prod\n");
        Path vars = dir.resolve("vars.yml");
        Files.writeString(vars, enc.out().replace("Encryption successful\n", ""));
        // ansible-vault decrypts the envelope of an inline value too
        String envelope = enc.out().lines().skip(1).filter(l -> l.startsWith(" ")).map(String::strip)
                .reduce("", (a, b) -> a + b + "\n");
        Path env = dir.resolve("inline.vault");
        Files.writeString(env, envelope);
        Proc dec = ansibleVault(Map.of(), "decrypt", "--vault-id", "prod@" + prod, "--output", "-", env.toString());
        assertThat(dec.exit()).as(dec.out()).isZero();
        assertThat(dec.out()).startsWith("k3y-v4lue").doesNotContain("k3y-v4lue\n");

        Vault v = new Vault(VaultPasswords.read(List.of("prod@" + prod), null), new Secrets());
        Object value = ((Map<?, ?>) YamlReader.load(vars, v)).get("api_key");
        assertThat(value).isInstanceOf(VaultText.class);
        assertThat(((VaultText) value).plaintext()).isEqualTo("k3y-v4lue");
    }

    @Test
    void inlineValuesFromAnsibleVaultEncryptString() throws Exception {
        Path pw = passFile("pw", "hunter2");
        Proc enc = ansibleVault(Map.of(), "encrypt_string", "--vault-password-file", pw.toString(), "--name",
                "db_password", "t0p-s3cret");
        assertThat(enc.exit()).as(enc.out()).isZero();
        Path vars = dir.resolve("vars.yml");
        Files.writeString(vars, "user: app\n" + enc.out().replace("Encryption successful", "").strip() + "\n");
        Vault right = new Vault(VaultPasswords.read(List.of("default@" + pw), null), new Secrets());
        VaultText vt = (VaultText) ((Map<?, ?>) YamlReader.load(vars, right)).get("db_password");
        assertThat(vt.plaintext()).isEqualTo("t0p-s3cret");
        assertThat(vt.toString()).doesNotContain("t0p");

        Path wrongPw = passFile("wrong", "not-it");
        Vault wrong = new Vault(VaultPasswords.read(List.of("default@" + wrongPw), null), new Secrets());
        VaultText bad = (VaultText) ((Map<?, ?>) YamlReader.load(vars, wrong)).get("db_password");
        assertThatThrownBy(bad::plaintext).isInstanceOf(UserError.class)
                .hasMessageContaining("Decryption failed (no vault secrets were found that could decrypt")
                .satisfies(e -> assertThat(((UserError) e).position()).isEqualTo(Position.of(vars, 2, 14)));
        VaultText none = (VaultText) ((Map<?, ?>) YamlReader.load(vars)).get("db_password");
        assertThatThrownBy(none::plaintext).hasMessageContaining("no vault secrets found");
    }

    @Test
    void wrongPasswordAndTamperingAreRefused() {
        byte[] pw = "right".getBytes(StandardCharsets.UTF_8);
        String env = VaultFormat.encrypt("x".repeat(40).getBytes(StandardCharsets.UTF_8), pw, null);
        Vault wrong = new Vault(List.of(new VaultSecret("default", "wrong".getBytes(StandardCharsets.UTF_8))), new Secrets());
        Position where = new Position("vars.yml", 3, 7);
        assertThatThrownBy(() -> wrong.decrypt(env, where)).isInstanceOf(UserError.class)
                .hasToString("vars.yml:3:7: Decryption failed (no vault secrets were found that could decrypt; tried default)");
        // flip the last digit of the ciphertext: the HMAC no longer matches, even with the right password
        String inner = new String(java.util.HexFormat.of().parseHex(env.substring(env.indexOf('\n') + 1)
                .replace("\n", "")), StandardCharsets.US_ASCII);
        char last = inner.charAt(inner.length() - 1);
        inner = inner.substring(0, inner.length() - 1) + (last == '0' ? '1' : '0');
        String tampered = "$ANSIBLE_VAULT;1.1;AES256\n"
                + java.util.HexFormat.of().formatHex(inner.getBytes(StandardCharsets.US_ASCII)) + "\n";
        Vault right = new Vault(List.of(new VaultSecret("default", pw)), new Secrets());
        assertThatThrownBy(() -> right.decrypt(tampered, where)).hasMessageContaining("Decryption failed");
        assertThat(new String(right.decrypt(env, where), StandardCharsets.UTF_8)).isEqualTo("x".repeat(40));
        assertThatThrownBy(() -> right.decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz\n", where))
                .hasMessageContaining("malformed vault body");
    }

    @Test
    void passwordScriptsAndRekey() throws Exception {
        Path script = dir.resolve("pass.sh");
        Files.writeString(script, "#!/bin/sh\necho 'from-script'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path f = dir.resolve("s.yml");
        Files.writeString(f, "a: 1\n");
        assertThat(drover("vault", "encrypt", "--vault-password-file", script.toString(), f.toString()).exit()).isZero();
        Path plainPw = passFile("pw", "from-script");
        assertThat(ansibleVault(Map.of(), "view", "--vault-password-file", plainPw.toString(), f.toString()).out())
                .isEqualTo("a: 1\n");
        Path newPw = passFile("new", "newer");
        Proc rekey = drover("vault", "rekey", "--vault-password-file", script.toString(), "--new-vault-password-file",
                newPw.toString(), f.toString());
        assertThat(rekey.exit()).as(rekey.out()).isZero();
        assertThat(ansibleVault(Map.of(), "view", "--vault-password-file", newPw.toString(), f.toString()).out())
                .isEqualTo("a: 1\n");
        Proc bad = drover("vault", "view", "--vault-password-file", script.toString(), f.toString());
        assertThat(bad.exit()).isEqualTo(4);
        assertThat(bad.out()).contains(f + ": Decryption failed");
        Proc failing = drover("vault", "view", "--vault-password-file", dir.resolve("missing").toString(), f.toString());
        assertThat(failing.exit()).isEqualTo(5);
        assertThat(failing.out()).contains("was not found");
    }
}
