package dev.drover.cli;

import static dev.drover.cli.BadInputCorpusTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.BadInputCorpusTest.Run;
import dev.drover.testing.TestSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host key policy through {@code drover play}, against in-process SSH servers: an unknown host is refused by
 * default with its fingerprint and how to accept it; a changed key is refused under every policy but off;
 * accept-new on twenty hosts connecting at once leaves a complete known_hosts file (one line per host, written by
 * temp file and rename, no temp file left). The swap of a real sshd's key is in the lab suite (LabHostKeyTest).
 */
class HostKeyTest {
    private static final String PLAYBOOK = "src/test/resources/badinput/remote.yml"; // one task on the host: a connection

    @TempDir
    Path tmp;

    private static String host(String name, TestSshServer s, String policy, Path knownHosts) {
        return name + " ansible_host=127.0.0.1 ansible_port=" + s.port() + " ansible_user=deploy"
                + " ansible_password=secret drover_agent=false drover_known_hosts_file=" + knownHosts
                + (policy == null ? "" : " drover_host_key_policy=" + policy) + "\n";
    }

    /** Also with a loop: the reason used to be dropped with the loop's summary when no item had run. */
    @ParameterizedTest
    @ValueSource(strings = {PLAYBOOK, "src/test/resources/badinput/remote_loop.yml"})
    void unknownHostIsRefusedByDefaultWithItsFingerprintAndHowToAcceptIt(String playbook) throws IOException {
        try (TestSshServer s = TestSshServer.builder().user("deploy", "secret").build()) {
            Path kh = Files.writeString(tmp.resolve("known_hosts"), "");
            Path inv = Files.writeString(tmp.resolve("hosts"), host("db1", s, null, kh));
            Run r = drover("play", "-i", inv.toString(), playbook);
            assertThat(r.exit()).as(r.describe()).isEqualTo(3);
            assertThat(r.out()).contains("fatal: [db1]: UNREACHABLE!")
                    .contains("unknown host key ssh-ed25519 " + KeyUtils.getFingerPrint(s.hostKey()))
                    .contains("ssh-keyscan -p " + s.port() + " 127.0.0.1 >> " + kh)
                    .contains("drover_host_key_policy: accept-new");
            assertThat(kh).isEmptyFile();
        }
    }

    @Test
    void changedHostKeyIsRefusedUnderStrictAndAcceptNew() throws IOException {
        try (TestSshServer s = TestSshServer.builder().user("deploy", "secret").build()) {
            KeyPair old = TestSshServer.generateKeyPair("ssh-ed25519");
            String line = KnownHostHashValue.createHostPattern("127.0.0.1", s.port()) + " "
                    + PublicKeyEntry.toString(old.getPublic()) + "\n";
            Path kh = Files.writeString(tmp.resolve("known_hosts"), line);
            for (String policy : List.of("strict", "accept-new")) {
                Path inv = Files.writeString(tmp.resolve("hosts"), host("db1", s, policy, kh));
                Run r = drover("play", "-i", inv.toString(), PLAYBOOK);
                assertThat(r.exit()).as(r.describe()).isEqualTo(3);
                assertThat(r.out()).as(policy).contains("HOST KEY MISMATCH").contains(KeyUtils.getFingerPrint(s.hostKey()));
                assertThat(kh).as("known_hosts untouched under " + policy).hasContent(line.strip());
            }
            Path inv = Files.writeString(tmp.resolve("hosts"), host("db1", s, "off", kh));
            assertThat(drover("play", "-i", inv.toString(), PLAYBOOK).exit()).isZero();
        }
    }

    @Test
    void acceptNewOnTwentyHostsAtOnceWritesACompleteKnownHostsFile() throws IOException {
        List<TestSshServer> servers = new ArrayList<>();
        try {
            Path dir = tmp.resolve("ssh");
            Path kh = dir.resolve("known_hosts"); // neither the directory nor the file exists yet
            StringBuilder inv = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                TestSshServer s = TestSshServer.builder().user("deploy", "secret").build();
                servers.add(s);
                inv.append(host("h" + i, s, "accept-new", kh));
            }
            Path hosts = Files.writeString(tmp.resolve("hosts"), inv);
            Run r = drover("play", "-i", hosts.toString(), "-f", "20", PLAYBOOK);
            assertThat(r.exit()).as(r.describe()).isZero();
            List<String> lines = Files.readAllLines(kh);
            assertThat(lines).as("one complete line per host").hasSize(20)
                    .containsExactlyInAnyOrderElementsOf(servers.stream().map(TestSshServer::knownHostsLine).toList());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("no temp file left").containsExactly(kh);
            }
            // the file now vouches for every host under the strict default, and is not written again
            String written = Files.readString(kh);
            Path strict = Files.writeString(tmp.resolve("strict"), inv.toString().replace(" drover_host_key_policy=accept-new", ""));
            Run again = drover("play", "-i", strict.toString(), "-f", "20", PLAYBOOK);
            assertThat(again.exit()).as(again.describe()).isZero();
            assertThat(kh).hasContent(written.strip());
        } finally {
            for (TestSshServer s : servers) s.close();
        }
    }
}
