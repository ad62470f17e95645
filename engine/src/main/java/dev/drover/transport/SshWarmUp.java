package dev.drover.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Pays the SSH stack's first-use cost before the first host needs it. A JVM's first SSH connection costs about
 * 0.3-0.4 s of CPU on the controller (loading and initialising MINA and BouncyCastle, the interpreter's first runs of
 * the key exchange and signature code); every later one about 15 ms. A run spends its first few hundred
 * milliseconds reading the command line, playbook and inventory on one core: this does one real handshake (key
 * exchange, ed25519 host key, authentication, an exec channel) over loopback against an in-process server, on a
 * background thread, meanwhile. It goes through the same {@link Transports} path as a run's connections, so
 * whatever it warms is what they use. Best effort: any failure just leaves the work to the first real connection.
 */
public final class SshWarmUp {
    private SshWarmUp() {}

    /** Starts the warm-up on a daemon thread and returns it. */
    public static Thread startInBackground() {
        Thread t = new Thread(SshWarmUp::runQuietly, "drover-ssh-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Whether a command line will connect over SSH, judged from the words alone (before parsing): a {@code play} or
     * {@code recover} that is not {@code -c local}. A wrong guess costs only the warm-up's CPU or its benefit.
     */
    public static boolean worthIt(String[] args) {
        if (args.length == 0 || !(args[0].equals("play") || args[0].equals("recover"))) return false;
        if ("0".equals(System.getenv("DROVER_SSH_WARMUP"))) return false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-c") || a.equals("--connection")) && i + 1 < args.length && args[i + 1].equals("local")) return false;
            if (a.equals("-clocal") || a.equals("--connection=local")) return false;
        }
        return true;
    }

    private static void runQuietly() {
        try {
            run();
        } catch (Exception | LinkageError e) {
            // best effort: the first real connection does the same work
        }
    }

    /**
     * One loopback handshake and one exec through the run's own connection code. Nothing is written to disk (a run
     * that ends at once, a syntax error say, exits while this may still be under way): the client authenticates
     * with a password, and the server's ed25519 host key exercises the signature code both ways.
     */
    static void run() throws Exception {
        SshServer server = SshServer.setUpDefaultServer();
        try {
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256)));
            // any password: the server lives for one loopback handshake
            server.setPasswordAuthenticator((user, password, session) -> true);
            server.setCommandFactory((channel, command) -> new ExitAtOnce());
            server.start();
            ConnectionSpec spec = ConnectionSpec.ssh("ssh-warm-up", "127.0.0.1", server.getPort(), "drover")
                    .withPassword("warm-up")
                    .withHostKeys(ConnectionSpec.HostKeyPolicy.OFF, Path.of("/dev/null"));
            try (Transports transports = new Transports()) {
                transports.open(spec).exec("true", ExecOptions.NONE);
            }
        } finally {
            server.stop(true);
        }
    }

    /** The server side of the warm-up's exec: exits 0 at once. */
    private static final class ExitAtOnce implements Command {
        private ExitCallback exit;

        @Override
        public void setExitCallback(ExitCallback callback) {
            exit = callback;
        }

        @Override
        public void setInputStream(InputStream in) {
            // no input is read
        }

        @Override
        public void setOutputStream(OutputStream out) {
            // no output is written
        }

        @Override
        public void setErrorStream(OutputStream err) {
            // no output is written
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            exit.onExit(0);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // nothing runs
        }
    }
}
