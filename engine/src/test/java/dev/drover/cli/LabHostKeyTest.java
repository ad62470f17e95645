package dev.drover.cli;

import static dev.drover.cli.BadInputCorpusTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.BadInputCorpusTest.Run;
import dev.drover.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A real sshd whose host key changes (regenerated on the lab host, sshd reloaded through {@code lab.sh exec}) is
 * refused by {@code drover play} under the lab's strict policy and under accept-new, naming the new fingerprint,
 * and known_hosts is left as it was. The original keys are put back afterwards, and the host works again.
 */
class LabHostKeyTest {
    private static final String PLAYBOOK = "src/test/resources/badinput/remote.yml"; // one task on the host: a connection
    private static final String HOST = "labhost1";

    @Test
    void swappedSshdHostKeyIsRefusedEvenWithAcceptNew() throws IOException, InterruptedException {
        Lab lab = Lab.shared(3, "labhost3");
        String inv = lab.inventory().toString();
        Run before = drover("play", "-i", inv, "--limit", HOST, PLAYBOOK);
        assertThat(before.exit()).as(before.describe()).isZero();
        String knownHosts = Files.readString(lab.knownHosts());
        String original = fingerprint(lab);
        try {
            lab.exec(HOST, "cd /etc/ssh/lab && for t in ed25519 ecdsa; do cp ssh_host_${t}_key orig_$t"
                    + " && cp ssh_host_${t}_key.pub orig_$t.pub && rm -f ssh_host_${t}_key ssh_host_${t}_key.pub"
                    + " && ssh-keygen -q -t $t -N '' -f ssh_host_${t}_key; done && kill -HUP $(cat /run/sshd.pid)")
                    .orThrow();
            String swapped = fingerprint(lab);
            assertThat(swapped).isNotEqualTo(original);
            awaitServing(lab, swapped);
            for (String policy : new String[] {"strict", "accept-new"}) {
                Run r = drover("play", "-i", inv, "--limit", HOST, "-e", "drover_host_key_policy=" + policy, PLAYBOOK);
                assertThat(r.exit()).as(r.describe()).isEqualTo(3);
                assertThat(r.out()).as(policy).contains("fatal: [" + HOST + "]: UNREACHABLE!")
                        .contains("HOST KEY MISMATCH").contains(swapped);
                assertThat(Files.readString(lab.knownHosts())).as("known_hosts untouched").isEqualTo(knownHosts);
            }
        } finally {
            lab.exec(HOST, "cd /etc/ssh/lab && for t in ed25519 ecdsa; do [ -f orig_$t ] && mv orig_$t ssh_host_${t}_key"
                    + " && mv orig_$t.pub ssh_host_${t}_key.pub; done; kill -HUP $(cat /run/sshd.pid)").orThrow();
            awaitServing(lab, original);
        }
        Run after = drover("play", "-i", inv, "--limit", HOST, PLAYBOOK);
        assertThat(after.exit()).as(after.describe()).isZero();
    }

    /** The SHA256 fingerprint of the host's current ed25519 key file. */
    private static String fingerprint(Lab lab) {
        String out = lab.exec(HOST, "ssh-keygen -lf /etc/ssh/lab/ssh_host_ed25519_key.pub").orThrow().stdout();
        return out.split(" ")[1];
    }

    /** sshd re-executes on SIGHUP: wait until it answers with the expected key. */
    private static void awaitServing(Lab lab, String fingerprint) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Lab.Result r = lab.exec(HOST, "ssh-keyscan -t ed25519 127.0.0.1 2>/dev/null | ssh-keygen -lf -");
            if (r.ok() && r.stdout().contains(fingerprint)) return;
            Thread.sleep(200);
        }
        throw new AssertionError("sshd on " + HOST + " did not come back with key " + fingerprint);
    }
}
