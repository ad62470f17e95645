// Connect + key-exchange + public-key auth cost of MINA SSHD (the library Drover's SshConnector uses) against one
// lab host, with MINA's default KEX preference (sntrup761x25519 first, which OpenSSH 9.x accepts) vs curve25519 only.
//   java -cp engine/target/drover.jar bench/micro/KexBench.java HOST KEYFILE N
// Not a Drover test: a probe for docs/performance.md. Accepts any host key (lab only).
import java.nio.file.*;
import java.security.KeyPair;
import java.util.*;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.util.security.SecurityUtils;

public class KexBench {
    public static void main(String[] a) throws Exception {
        String host = a[0]; Path key = Paths.get(a[1]); int n = Integer.parseInt(a[2]);
        KeyPair kp;
        try (var in = Files.newInputStream(key)) {
            kp = SecurityUtils.loadKeyPairIdentities(null, null, in, null).iterator().next();
        }
        for (String mode : new String[] {"default", "curve25519", "default", "curve25519"}) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            if (mode.equals("curve25519"))
                c.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                    List.of(BuiltinDHFactories.curve25519), ClientBuilder.DH2KEX));
            c.start();
            long[] t = new long[n];
            String kex = "?";
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try (ClientSession s = c.connect("root", host, 22).verify(10000).getSession()) {
                    s.addPublicKeyIdentity(kp);
                    s.auth().verify(10000);
                    kex = s.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.ALGORITHMS);
                }
                t[i] = System.nanoTime() - t0;
            }
            c.stop();
            long[] s = t.clone(); Arrays.sort(s);
            System.out.printf("%-10s kex=%-40s first=%4d ms  median=%4d ms  min=%4d ms  (n=%d)%n", mode, kex,
                t[0] / 1000000, s[n / 2] / 1000000, s[0] / 1000000, n);
        }
    }
}
