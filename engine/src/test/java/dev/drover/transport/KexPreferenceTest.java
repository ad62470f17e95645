package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.junit.jupiter.api.Test;

/** Classic curve25519 is negotiated first (post-quantum key generation in pure Java costs seconds per connection). */
class KexPreferenceTest {
    @Test
    void curve25519ComesBeforeThePostQuantumHybridWhichStaysOffered() {
        List<KeyExchangeFactory> defaults = SshClient.setUpDefaultClient().getKeyExchangeFactories();
        List<String> names = SshConnector.preferClassicKex(defaults).stream().map(KeyExchangeFactory::getName).toList();
        assertThat(names.get(0)).isEqualTo("curve25519-sha256");
        assertThat(names).contains("sntrup761x25519-sha512").hasSameSizeAs(defaults);
        assertThat(names.indexOf("sntrup761x25519-sha512")).isGreaterThan(names.indexOf("curve25519-sha256@libssh.org"));
    }
}
