package dev.drover.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redaction of decrypted values, and where vault passwords come from (files, scripts, prompts, environment). */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void redactsEveryFormOfASecretAndNothingElse() {
        Secrets s = new Secrets();
        s.add("pa\"ss\\word");
        s.add("-----BEGIN KEY-----\nAAAAline2\n-----END KEY-----");
        s.add("ab"); // too short to track: it would mask ordinary output everywhere
        assertThat(s.redact("x=pa\"ss\\word")).isEqualTo("x=" + Secrets.MASK);
        assertThat(s.redact("{\"msg\": \"pa\\\"ss\\\\word\"}")).isEqualTo("{\"msg\": \"" + Secrets.MASK + "\"}");
        assertThat(s.redact("key: AAAAline2")).isEqualTo("key: " + Secrets.MASK);
        assertThat(s.redact("about ab")).isEqualTo("about ab");
        assertThat(new Secrets().redact("unchanged")).isEqualTo("unchanged");
    }

    @Test
    void theWriterRedactsLinesWrittenInPieces() {
        Secrets s = new Secrets();
        s.add("hunter2");
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(new RedactingWriter(sink, s), true);
        w.print("the password is hun");
        w.print("ter2");
        w.println("!");
        w.print("prompt: ");
        w.flush();
        assertThat(sink.toString()).isEqualTo("the password is " + Secrets.MASK + "!" + System.lineSeparator()
                + "prompt: ");
    }

    /** Key derivation costs ~35 ms; a value used by every host and task must not pay it each time. */
    @Test
    void anOpenedValueIsNotDerivedAgain() {
        byte[] pw = "pw".getBytes(StandardCharsets.UTF_8);
        String env = VaultFormat.encrypt("value".getBytes(StandardCharsets.UTF_8), pw, null);
        Vault v = new Vault(List.of(new VaultSecret("default", pw)), new Secrets());
        assertThat(v.decrypt(env, null)).asString(StandardCharsets.UTF_8).isEqualTo("value");
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) v.decrypt(env, null)[0] = 'X'; // callers may scribble on their copy
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms for 200 uses").isLessThan(2000);
        assertThat(v.decrypt(env, null)).asString(StandardCharsets.UTF_8).isEqualTo("value");
    }

    @Test
    void idsFollowAnsibleOrderAndTheEnvironment() {
        assertThat(VaultPasswords.ids(List.of("prod@/p", "/d"), List.of("/f"), true,
                Map.of("ANSIBLE_VAULT_PASSWORD_FILE", "/env")))
                .containsExactly("default@/env", "prod@/p", "default@/d", "default@/f", "default@prompt");
        assertThat(VaultPasswords.ids(List.of(), List.of(), false, Map.of())).isEmpty();
    }

    @Test
    void promptsFilesAndClientScripts() throws Exception {
        List<String> asked = new ArrayList<>();
        Path file = dir.resolve("pw");
        Files.writeString(file, "  from-file \n");
        Path client = dir.resolve("vault-client.sh");
        Files.writeString(client, "#!/bin/sh\n[ \"$1\" = --vault-id ] && echo \"pw-for-$2\"\n");
        client.toFile().setExecutable(true);
        List<VaultSecret> got = VaultPasswords.read(List.of("default@prompt", "dev@" + file, "prod@" + client,
                "dev@" + file), p -> {
                    asked.add(p);
                    return "typed".toCharArray();
                });
        assertThat(asked).containsExactly("Vault password: ");
        assertThat(got).extracting(VaultSecret::id).containsExactly("default", "dev", "prod");
        assertThat(got).extracting(k -> new String(k.password(), StandardCharsets.UTF_8))
                .containsExactly("typed", "from-file", "pw-for-prod");
        assertThat(got.get(0).toString()).doesNotContain("typed");

        Path failing = dir.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 3\n");
        failing.toFile().setExecutable(true);
        assertThatThrownBy(() -> VaultPasswords.read(List.of("default@" + failing), null))
                .isInstanceOf(UserError.class).hasMessageContaining("exited with status 3");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> VaultPasswords.read(List.of("default@" + empty), null))
                .hasMessageContaining("gave an empty password");
    }

    /**
     * Two hosts setting the same secret at the same moment: the one whose add found the value already present
     * used to print before the other had made it known to redact(), showing it in clear.
     */
    @Test
    void aValueAddedByTwoThreadsAtOnceIsMaskedForBoth() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 2000; round++) {
                Secrets secrets = new Secrets();
                String value = "Shared-secret-" + round;
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<String>> seen = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    seen.add(pool.submit(() -> {
                        go.await();
                        secrets.add(value);
                        return secrets.redact("token is " + value);
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<String> f : seen) assertThat(f.get()).isEqualTo("token is ********");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
