package dev.drover.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Owns the run's single {@link SshClient} and turns a {@link ConnectionSpec} into an authenticated session,
 * with host key checking and readable errors. Shared by all {@link SshConnection}s of a {@link Transports}.
 */
final class SshConnector implements Closeable {
    /** Carries the per-connection host key policy into the client-wide verifier (KEX runs before we get the session). */
    private static final AttributeKey<HostKeyTarget> TARGET = new AttributeKey<>();

    private final SshClient client;
    private final ConcurrentMap<Path, KnownHosts> knownHosts = new ConcurrentHashMap<>();

    /**
     * MINA lists the post-quantum hybrid sntrup761x25519 first, and OpenSSH 9.x accepts it; in pure-Java BouncyCastle
     * its key generation cost 0.5-3.8 s per connection on the lab (docs/performance.md), the largest part of a short
     * run. curve25519-sha256 goes first; the hybrid stays offered, after it.
     */
    static List<org.apache.sshd.common.kex.KeyExchangeFactory> preferClassicKex(
            List<org.apache.sshd.common.kex.KeyExchangeFactory> factories) {
        List<org.apache.sshd.common.kex.KeyExchangeFactory> first = new java.util.ArrayList<>();
        List<org.apache.sshd.common.kex.KeyExchangeFactory> rest = new java.util.ArrayList<>();
        for (org.apache.sshd.common.kex.KeyExchangeFactory f : factories) {
            (f.getName().startsWith("sntrup") || f.getName().startsWith("mlkem") ? rest : first).add(f);
        }
        first.addAll(rest);
        return first;
    }

    SshConnector() {
        client = SshClient.setUpDefaultClient();
        // Without TCP_NODELAY each small exec round trip stalls ~40-90 ms on Nagle + delayed ACK.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // MINA closes a session after 10 idle minutes by default, which would cut a long silent command
        // (pg_upgrade, a big restore). Liveness is the keepalive's job (drover_keepalive_interval).
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.NIO2_READ_TIMEOUT.set(client, Duration.ZERO);
        // keepalives that want a reply, three unanswered end the session (see KeepaliveConnectionService)
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        client.setServiceFactories(List.of(org.apache.sshd.client.session.ClientUserAuthServiceFactory.INSTANCE,
                new KeepaliveConnectionService.Factory()));
        // ~/.ssh/config is not read: its options would apply only partly and silently; Drover takes its
        // settings from the inventory alone.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setServerKeyVerifier(this::verifyServerKey);
        client.setKeyExchangeFactories(preferClassicKex(client.getKeyExchangeFactories()));
        // OpenSSH's host key preference (ed25519 first; MINA's own puts ECDSA first): known_hosts files written
        // by the ssh command then hold the key type this client negotiates. No certificate algorithms, since
        // @cert-authority entries are not supported.
        client.setSignatureFactories(new ArrayList<>(List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp256,
                BuiltinSignatures.nistp384, BuiltinSignatures.nistp521, BuiltinSignatures.sk_ssh_ed25519,
                BuiltinSignatures.sk_ecdsa_sha2_nistp256, BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256,
                BuiltinSignatures.rsa)));
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
                preferKnownHostKeyTypes(session, proposal);
            }
        });
        client.start();
    }

    /** A live session and, when a jump host is used, the bastion session that carries it. */
    record Established(ClientSession session, ClientSession bastion, ExplicitPortForwardingTracker tunnel) implements Closeable {
        boolean isOpen() {
            return session.isOpen() && (bastion == null || bastion.isOpen());
        }

        @Override
        public void close() {
            closeQuietly(session);
            closeQuietly(tunnel);
            closeQuietly(bastion);
        }
    }

    Established connect(ConnectionSpec spec) throws TransportException {
        List<KeyPair> keys = loadKeys(spec);
        if (spec.jump() == null) {
            ClientSession s = open(spec.describe(), spec, spec.user(), spec.address(), spec.port(), spec.address(), spec.port(), keys);
            return new Established(s, null, null);
        }
        ConnectionSpec.JumpHost j = spec.jump();
        String jumpUser = j.user() == null ? spec.user() : j.user();
        String jumpWhat = "jump host " + j.address() + ":" + j.port() + " as " + jumpUser + " (for " + spec.host() + ")";
        ClientSession bastion = open(jumpWhat, spec, jumpUser, j.address(), j.port(), j.address(), j.port(), keys);
        ExplicitPortForwardingTracker tunnel = null;
        try {
            tunnel = bastion.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(spec.address(), spec.port()));
            SshdSocketAddress bound = tunnel.getBoundAddress();
            // The host key is looked up under the real target name and port, not the tunnel's loopback end.
            ClientSession s = open(spec.describe(), spec, spec.user(), "127.0.0.1", bound.getPort(), spec.address(), spec.port(), keys);
            return new Established(s, bastion, tunnel);
        } catch (TransportException e) {
            closeQuietly(tunnel);
            closeQuietly(bastion);
            throw e;
        } catch (IOException e) {
            closeQuietly(tunnel);
            closeQuietly(bastion);
            throw new TransportException("cannot connect to " + spec.describe() + ": the jump host refused to forward to "
                    + spec.address() + ":" + spec.port() + " (" + e.getMessage() + ")", e);
        }
    }

    private ClientSession open(String what, ConnectionSpec spec, String user, String connectHost, int connectPort,
                               String keyHost, int keyPort, List<KeyPair> keys) throws TransportException {
        HostKeyTarget target = new HostKeyTarget(what, keyHost, keyPort, spec.hostKeyPolicy(), knownHosts(spec.knownHosts()));
        Duration timeout = spec.connectTimeout();
        ClientSession session = null;
        try {
            ConnectFuture cf = client.connect(user, connectHost, connectPort, AttributeRepository.ofKeyValuePair(TARGET, target), null);
            if (!cf.await(timeout)) {
                cf.cancel();
                throw new TransportException("cannot connect to " + what + ": no answer within " + timeout.toSeconds()
                        + "s (ansible_timeout); check the address, port and firewall");
            }
            if (cf.getException() != null) throw cf.getException();
            session = cf.getSession();
            if (!spec.keepaliveInterval().isZero()) {
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(session, spec.keepaliveInterval());
                CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(session, 3);
            }
            session.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
            if (spec.password() != null) session.addPasswordIdentity(spec.password());
            session.auth().verify(timeout);
            return session;
        } catch (TransportException e) {
            closeQuietly(session);
            throw e;
        } catch (Throwable e) {
            closeQuietly(session);
            throw translate(e, what, spec, target, timeout);
        }
    }

    private TransportException translate(Throwable e, String what, ConnectionSpec spec, HostKeyTarget target, Duration timeout) {
        String prefix = "cannot connect to " + what + ": ";
        if (target.failure.get() != null) return new TransportException(prefix + target.failure.get(), e);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return new TransportException(prefix + "connection refused; is sshd running there and listening on that port?", e);
            }
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return new TransportException(prefix + "the address does not resolve; check ansible_host", e);
            }
            if (c instanceof NoRouteToHostException) {
                return new TransportException(prefix + "no route to host; check the address and network", e);
            }
            if (c instanceof SocketTimeoutException) {
                return new TransportException(prefix + "no answer within " + timeout.toSeconds() + "s (ansible_timeout)", e);
            }
        }
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("no more authentication methods") || msg.contains("authentication failed")) {
            return new TransportException(prefix + "authentication failed; tried " + triedMethods(spec)
                    + ". Check ansible_user, ansible_ssh_private_key_file and ansible_password", e);
        }
        if (msg.contains("timeout") || msg.contains("timed out")) {
            return new TransportException(prefix + "no complete SSH handshake within " + timeout.toSeconds() + "s (ansible_timeout)", e);
        }
        return new TransportException(prefix + e.getMessage(), e);
    }

    private static String triedMethods(ConnectionSpec spec) {
        List<String> tried = new ArrayList<>();
        if (!spec.privateKeys().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Path p : spec.privateKeys()) names.add(p.toString());
            tried.add("public keys " + String.join(", ", names));
        } else {
            tried.add("no private key (none given and no ~/.ssh/id_ed25519, id_ecdsa or id_rsa)");
        }
        tried.add(spec.password() != null ? "password (from ansible_password)" : "no password (ansible_password not set)");
        return String.join("; ", tried);
    }

    private static List<KeyPair> loadKeys(ConnectionSpec spec) throws TransportException {
        List<KeyPair> out = new ArrayList<>();
        for (Path p : spec.privateKeys()) {
            if (!Files.isRegularFile(p)) {
                throw new TransportException("cannot connect to " + spec.describe() + ": private key file " + p
                        + " does not exist (ansible_ssh_private_key_file / --private-key)");
            }
            try (InputStream in = Files.newInputStream(p)) {
                Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(p.toString()), in, null);
                if (pairs != null) pairs.forEach(out::add);
            } catch (Exception e) {
                String why = String.valueOf(e.getMessage());
                String hint = why.toLowerCase(Locale.ROOT).contains("password") || why.toLowerCase(Locale.ROOT).contains("encrypt")
                        ? "it is protected by a passphrase, which Drover cannot use yet (and ssh-agent is not supported); use a key without a passphrase"
                        : "it is not a private key Drover can read (" + why + ")";
                throw new TransportException("cannot connect to " + spec.describe() + ": private key file " + p + ": " + hint, e);
            }
        }
        return out;
    }

    private KnownHosts knownHosts(Path file) {
        return knownHosts.computeIfAbsent(file.toAbsolutePath().normalize(), KnownHosts::new);
    }

    /**
     * Like OpenSSH, asks first for host key types already on file for this host, so a host known by its RSA
     * key is not reported as changed just because it also offers ed25519.
     */
    private static void preferKnownHostKeyTypes(Session session, Map<KexProposalOption, String> proposal) {
        if (!(session instanceof ClientSession cs) || cs.getConnectionContext() == null) return;
        HostKeyTarget t = cs.getConnectionContext().getAttribute(TARGET);
        String offered = proposal.get(KexProposalOption.SERVERKEYS);
        if (t == null || offered == null || t.policy == ConnectionSpec.HostKeyPolicy.OFF) return;
        Set<String> known;
        try {
            known = t.knownHosts.knownTypes(t.host, t.port);
        } catch (IOException | RuntimeException e) {
            return; // the verifier reports an unreadable file
        }
        if (known.isEmpty()) return;
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String alg : offered.split(",")) {
            String keyType = alg.startsWith("rsa-sha2-") ? "ssh-rsa" : alg;
            (known.contains(keyType) ? first : rest).add(alg);
        }
        first.addAll(rest);
        proposal.put(KexProposalOption.SERVERKEYS, String.join(",", first));
    }

    private boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        AttributeRepository ctx = session.getConnectionContext();
        HostKeyTarget t = ctx == null ? null : ctx.getAttribute(TARGET);
        if (t == null) return false; // a session we did not open: never trust it
        return t.verify(key);
    }

    @Override
    public void close() {
        client.stop();
    }

    static void closeQuietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort; the session may already be gone
        }
    }

    /** What the verifier needs for one connection attempt; records why it refused, for the error message. */
    static final class HostKeyTarget {
        final String what;
        final String host;
        final int port;
        final ConnectionSpec.HostKeyPolicy policy;
        final KnownHosts knownHosts;
        final AtomicReference<String> failure = new AtomicReference<>();

        HostKeyTarget(String what, String host, int port, ConnectionSpec.HostKeyPolicy policy, KnownHosts knownHosts) {
            this.what = what;
            this.host = host;
            this.port = port;
            this.policy = policy;
            this.knownHosts = knownHosts;
        }

        boolean verify(PublicKey key) {
            if (policy == ConnectionSpec.HostKeyPolicy.OFF) return true;
            String type = KeyUtils.getKeyType(key);
            String fp = KeyUtils.getFingerPrint(key);
            String pattern = org.apache.sshd.client.config.hosts.KnownHostHashValue.createHostPattern(host, port);
            try {
                synchronized (knownHosts) {
                    KnownHosts.Check c = knownHosts.check(host, port, key);
                    switch (c.verdict()) {
                        case MATCH:
                            return true;
                        case REVOKED:
                            failure.set("the host key " + type + " " + fp + " is marked @revoked in " + knownHosts.file() + "; refusing to connect");
                            return false;
                        case CHANGED:
                            failure.set("HOST KEY MISMATCH: the server presents " + type + " " + fp + " but " + knownHosts.file()
                                    + " holds a different key for " + pattern + " (" + String.join(", ", c.knownTypes())
                                    + "). This could be a man-in-the-middle attack, or the host was reinstalled. If the change is"
                                    + " expected, remove the old entry with: ssh-keygen -R '" + pattern + "' -f " + knownHosts.file()
                                    + " and connect again");
                            return false;
                        default:
                            if (policy == ConnectionSpec.HostKeyPolicy.ACCEPT_NEW) {
                                knownHosts.add(host, port, key);
                                return true;
                            }
                            failure.set("unknown host key " + type + " " + fp + " for " + pattern + " (not in " + knownHosts.file()
                                    + "). Check the fingerprint with the host's owner, then add it, for example with: ssh-keyscan -p "
                                    + port + " " + host + " >> " + knownHosts.file()
                                    + " ; or set drover_host_key_policy: accept-new to trust new hosts on first contact");
                            return false;
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure.set("cannot check the host key against " + knownHosts.file() + ": " + e.getMessage());
                return false;
            }
        }
    }
}
