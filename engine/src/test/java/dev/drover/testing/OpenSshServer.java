package dev.drover.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * A throwaway OpenSSH sshd on 127.0.0.1 for interop tests: its own config, host key, authorized_keys
 * and pid file in a private temp directory; public key auth only; SFTP via internal-sftp. Needs root
 * (sshd refuses to run otherwise) and {@code /usr/sbin/sshd}: check {@link #available()} first.
 * {@link #close()} stops it and deletes the directory.
 */
public final class OpenSshServer implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private final Process process;
    private final KeyPair hostKey;
    private final KeyPair clientKey;

    /** True when an sshd can be started here: the binary exists and we are root. */
    public static boolean available() {
        return Files.isExecutable(SSHD) && "root".equals(System.getProperty("user.name"));
    }

    public OpenSshServer() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("drover-sshd-");
        hostKey = TestSshServer.generateKeyPair("ssh-ed25519");
        clientKey = TestSshServer.generateKeyPair("ssh-ed25519");
        Path hostKeyFile = TestSshServer.writePrivateKey(hostKey, dir.resolve("ssh_host_ed25519_key"));
        TestSshServer.writePrivateKey(clientKey, dir.resolve("id_ed25519"));
        Files.writeString(dir.resolve("authorized_keys"), PublicKeyEntry.toString(clientKey.getPublic()) + "\n");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKeyFile,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "UseDNS no",
                "Subsystem sftp internal-sftp",
                "") );
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation dir; present on any host with sshd
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
                    close();
                    throw new IOException("sshd did not start: " + log);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The private key (OpenSSH format) authorized for every user, root included. */
    public Path clientKeyFile() {
        return dir.resolve("id_ed25519");
    }

    public Path writeKnownHosts(Path file) throws IOException {
        Files.writeString(file, KnownHostHashValue.createHostPattern("127.0.0.1", port) + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        return file;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        // Stopping the listener does not end sessions already forked; those end when clients disconnect.
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Lines of the sshd log, for failure messages. */
    public List<String> logLines() throws IOException {
        return Files.readAllLines(dir.resolve("sshd.log"));
    }
}
