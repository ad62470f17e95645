package dev.drover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * An in-process SSH server on 127.0.0.1 and a random port, for integration tests: password and public key
 * auth, exec via {@code /bin/sh -c} (as the JVM's user, whatever the login name), SFTP, optional TCP
 * forwarding (to act as a jump host). TCP_NODELAY is on, as on any real server, so timings are realistic.
 *
 * <p>Like OpenSSH's sshd, each command runs in a new session and process group ({@code setsid}); like sshd
 * without a pty, closing the channel only closes the pipes and does not kill the command. So a test that
 * finds a process gone after a timeout or close proves the client killed it.
 *
 * <pre>{@code
 * try (TestSshServer server = TestSshServer.builder().user("deploy", "secret").build()) {
 *     server.writeKnownHosts(tmp.resolve("known_hosts"));
 *     ... ConnectionSpec.ssh("db1", "127.0.0.1", server.port(), "deploy").withPassword("secret") ...
 * }
 * }</pre>
 */
public final class TestSshServer implements AutoCloseable {
    private final SshServer sshd;
    private final KeyPair hostKey;
    private final List<KeyPair> hostKeys;
    private final Map<String, String> passwords;
    private final Map<String, Set<PublicKey>> authorized;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final java.time.Duration startDelay;

    private TestSshServer(Builder b) throws IOException {
        this.hostKey = b.hostKey;
        this.hostKeys = List.copyOf(b.extraHostKeys);
        this.startDelay = b.startDelay;
        this.passwords = Map.copyOf(b.passwords);
        this.authorized = new ConcurrentHashMap<>(b.authorized);
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        List<KeyPair> all = new ArrayList<>();
        all.add(hostKey);
        all.addAll(hostKeys);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(all));
        sshd.setPasswordAuthenticator((user, password, session) -> password.equals(passwords.get(user)));
        sshd.setPublickeyAuthenticator((user, key, session) ->
                authorized.getOrDefault(user, Set.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> {
            commands.add(command);
            return new ShellCommand(startDelay.isZero() ? command : "sleep " + startDelay.toSeconds() + "; " + command);
        });
        sshd.setForwardingFilter(b.forwarding ? AcceptAllForwardingFilter.INSTANCE : RejectAllForwardingFilter.INSTANCE);
        sshd.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private KeyPair hostKey;
        private final Map<String, String> passwords = new ConcurrentHashMap<>();
        private final Map<String, Set<PublicKey>> authorized = new ConcurrentHashMap<>();
        private boolean forwarding;
        private final List<KeyPair> extraHostKeys = new ArrayList<>();
        private java.time.Duration startDelay = java.time.Duration.ZERO;

        /** Every command starts this much later (whole seconds), like a host whose shell is stuck or slow. */
        public Builder startDelay(java.time.Duration d) {
            this.startDelay = d;
            return this;
        }

        /** Offer more host keys besides the main one, as real servers do (ed25519 + ecdsa + rsa). */
        public Builder extraHostKey(KeyPair kp) {
            extraHostKeys.add(kp);
            return this;
        }

        /** Host key type as SSH names it: ssh-ed25519 (default), ecdsa-sha2-nistp256, ssh-rsa. */
        public Builder hostKeyType(String type) {
            this.hostKey = generateKeyPair(type);
            return this;
        }

        public Builder hostKey(KeyPair kp) {
            this.hostKey = kp;
            return this;
        }

        public Builder user(String name, String password) {
            passwords.put(name, password);
            return this;
        }

        public Builder authorize(String user, PublicKey key) {
            authorized.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(key);
            return this;
        }

        /** Allow direct-tcpip forwarding, so this server can be a jump host. */
        public Builder forwarding(boolean on) {
            this.forwarding = on;
            return this;
        }

        public TestSshServer build() throws IOException {
            if (hostKey == null) hostKey = generateKeyPair("ssh-ed25519");
            return new TestSshServer(this);
        }
    }

    public int port() {
        return sshd.getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The known_hosts line for this server ({@code [127.0.0.1]:port type base64}). */
    public String knownHostsLine() {
        return KnownHostHashValue.createHostPattern(host(), port()) + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** Writes (replaces) a known_hosts file holding this server's key. */
    public Path writeKnownHosts(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, knownHostsLine() + "\n");
        return file;
    }

    /** Authorizes a key for a user while the server runs. */
    public void authorize(String user, PublicKey key) {
        authorized.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(key);
    }

    /** Every command line received by exec, in order (for asserting what the engine sent). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    public int activeSessions() {
        return sshd.getActiveSessions().size();
    }

    /** Cuts every client session at once, as a network failure or sshd restart would. */
    public void dropSessions() {
        for (Session s : new ArrayList<>(sshd.getActiveSessions())) s.close(true);
    }

    /** Ids of live local processes whose command line contains the marker (commands run on this machine). */
    public static List<Long> processesMatching(String marker) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
            try {
                String s = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
                if (s.contains(marker) && p.isAlive()) out.add(p.pid());
            } catch (IOException ignored) {
                // the process ended while we looked
            }
        });
        return out;
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    public static KeyPair generateKeyPair(String type) {
        try {
            int bits = switch (type) {
                case "ssh-rsa" -> 2048;
                case "ecdsa-sha2-nistp256" -> 256;
                case "ecdsa-sha2-nistp384" -> 384;
                default -> 256;
            };
            return KeyUtils.generateKeyPair(type, bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key", e);
        }
    }

    /** Writes an unencrypted OpenSSH private key file (mode 600), as ssh-keygen would. */
    public static Path writePrivateKey(KeyPair kp, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "drover-test", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Runs one exec request as {@code setsid /bin/sh -c command}, pumping the three streams. */
    private static final class ShellCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private volatile Process process;

        ShellCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("setsid", "/bin/sh", "-c", command);
            Process p = pb.start();
            process = p;
            Thread stdin = daemon("stdin", () -> {
                try (OutputStream pin = p.getOutputStream()) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        pin.write(buf, 0, n);
                        pin.flush();
                    }
                } catch (IOException ignored) {
                    // the command closed its stdin or the channel went away
                }
            });
            Thread stdout = daemon("stdout", () -> pump(p.getInputStream(), out));
            Thread stderr = daemon("stderr", () -> pump(p.getErrorStream(), err));
            daemon("wait", () -> {
                try {
                    int rc = p.waitFor();
                    stdout.join();
                    stderr.join();
                    exit.onExit(rc);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private static void pump(InputStream from, OutputStream to) {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the channel closed: like sshd, stop forwarding but leave the process alone
            }
        }

        private static Thread daemon(String name, Runnable r) {
            Thread t = new Thread(r, "test-sshd-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Like sshd without a pty: the pipes close, no signal is sent. The process's stdout pipe is
            // closed so a command that keeps writing gets SIGPIPE, as it would under sshd.
            Process p = process;
            if (p != null) {
                try {
                    p.getInputStream().close();
                    p.getErrorStream().close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
