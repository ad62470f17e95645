package dev.drover.transport;

import dev.drover.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one host, read from Ansible's connection variables. Immutable; {@link #toString()} never shows
 * the password.
 *
 * <p>Variables read by {@link #fromVars} (first present wins):
 * <ul>
 *   <li>address: {@code ansible_host}, {@code ansible_ssh_host}; else the inventory name</li>
 *   <li>port: {@code ansible_port}, {@code ansible_ssh_port}; default 22</li>
 *   <li>user: {@code ansible_user}, {@code ansible_ssh_user}; else {@code -u}; else the current OS user</li>
 *   <li>keys: {@code ansible_ssh_private_key_file}, {@code ansible_private_key_file}; else {@code --private-key};
 *       else whichever of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} exist</li>
 *   <li>password: {@code ansible_password}, {@code ansible_ssh_pass}, {@code ansible_ssh_password}</li>
 *   <li>connection: {@code ansible_connection} ({@code ssh}, {@code smart}, {@code paramiko} → ssh; {@code local})</li>
 *   <li>host keys: {@code drover_host_key_policy} ({@code strict}, {@code accept-new}, {@code off}); else
 *       {@code ansible_host_key_checking} / {@code ansible_ssh_host_key_checking} (false → off); else
 *       {@code -o StrictHostKeyChecking=} in the ssh args; else the run-wide default (strict)</li>
 *   <li>known hosts file: {@code drover_known_hosts_file}; else {@code -o UserKnownHostsFile=}; else
 *       {@code ~/.ssh/known_hosts}</li>
 *   <li>jump host: {@code drover_jump_host} ({@code [user@]host[:port]}); else {@code -J} or
 *       {@code -o ProxyJump=} in {@code ansible_ssh_common_args} / {@code ansible_ssh_extra_args}</li>
 *   <li>timeout: {@code ansible_timeout} (seconds); else {@code -o ConnectTimeout=}; else {@code -T}; default 10 s</li>
 *   <li>keepalive: {@code drover_keepalive_interval} (seconds, 0 = off); else {@code -o ServerAliveInterval=};
 *       default 30 s</li>
 * </ul>
 * As in Ansible, host variables win over command-line options ({@code -u}, {@code --private-key}, {@code -c},
 * {@code -T}); extra vars ({@code -e}) are expected to be merged into {@code hostVars} by the caller already.
 */
public record ConnectionSpec(
        String host,
        String address,
        int port,
        String user,
        List<Path> privateKeys,
        String password,
        Type type,
        HostKeyPolicy hostKeyPolicy,
        Path knownHosts,
        JumpHost jump,
        Duration connectTimeout,
        Duration keepaliveInterval) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    public enum Type { SSH, LOCAL }

    public enum HostKeyPolicy {
        /** Unknown or changed host keys are refused (OpenSSH {@code StrictHostKeyChecking=yes}). */
        STRICT,
        /** Unknown keys are added to known_hosts; changed keys are still refused. */
        ACCEPT_NEW,
        /** No check at all ({@code host_key_checking = False}). */
        OFF;

        static HostKeyPolicy parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "strict", "yes", "true":
                    return STRICT;
                case "accept-new", "accept_new":
                    return ACCEPT_NEW;
                case "off", "no", "false":
                    return OFF;
                default:
                    return null;
            }
        }
    }

    /** A bastion the connection goes through (OpenSSH {@code ProxyJump}). Null user means the target's user. */
    public record JumpHost(String user, String address, int port) {
        public JumpHost {
            Objects.requireNonNull(address, "address");
        }

        /** Parses {@code [user@]host[:port]} and {@code [user@][v6addr]:port}; null when not of that form. */
        public static JumpHost parse(String s) {
            String t = s.trim();
            if (t.startsWith("ssh://")) t = t.substring(6);
            if (t.isEmpty() || t.contains(" ")) return null;
            String user = null;
            int at = t.lastIndexOf('@');
            if (at >= 0) {
                user = t.substring(0, at);
                t = t.substring(at + 1);
                if (user.isEmpty()) return null;
            }
            int port = 22;
            String hostPart = t;
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0) return null;
                hostPart = t.substring(1, close);
                String rest = t.substring(close + 1);
                if (rest.startsWith(":")) port = parsePort(rest.substring(1));
                else if (!rest.isEmpty()) return null;
            } else {
                int colon = t.indexOf(':');
                if (colon >= 0 && colon == t.lastIndexOf(':')) {
                    hostPart = t.substring(0, colon);
                    port = parsePort(t.substring(colon + 1));
                }
            }
            if (hostPart.isEmpty() || port <= 0) return null;
            return new JumpHost(user, hostPart, port);
        }

        private static int parsePort(String p) {
            try {
                int n = Integer.parseInt(p);
                return n > 0 && n < 65536 ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return (user == null ? "" : user + "@") + address + ":" + port;
        }
    }

    /**
     * Run-wide settings from the command line and configuration; each is a default that host variables
     * override. Null fields mean "not given". {@code home} is where {@code ~/.ssh} is looked for.
     */
    public record Options(
            String user,
            Path privateKey,
            String connection,
            Duration timeout,
            HostKeyPolicy hostKeyPolicy,
            Path home,
            String localUser) {

        public static Options defaults() {
            return new Options(null, null, null, null, null,
                    Path.of(System.getProperty("user.home")), System.getProperty("user.name"));
        }

        public Options withUser(String u) {
            return new Options(u, privateKey, connection, timeout, hostKeyPolicy, home, localUser);
        }

        public Options withPrivateKey(Path k) {
            return new Options(user, k, connection, timeout, hostKeyPolicy, home, localUser);
        }

        public Options withHostKeyPolicy(HostKeyPolicy p) {
            return new Options(user, privateKey, connection, timeout, p, home, localUser);
        }

        public Options withHome(Path h) {
            return new Options(user, privateKey, connection, timeout, hostKeyPolicy, h, localUser);
        }
    }

    public ConnectionSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        address = address == null || address.isBlank() ? host : address;
        privateKeys = privateKeys == null ? List.of() : List.copyOf(privateKeys);
        hostKeyPolicy = hostKeyPolicy == null ? HostKeyPolicy.STRICT : hostKeyPolicy;
        connectTimeout = connectTimeout == null ? DEFAULT_TIMEOUT : connectTimeout;
        keepaliveInterval = keepaliveInterval == null ? DEFAULT_KEEPALIVE : keepaliveInterval;
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** A plain SSH spec with defaults for the rest; mostly for tests and tools. */
    public static ConnectionSpec ssh(String host, String address, int port, String user) {
        return new ConnectionSpec(host, address, port, user, List.of(), null, Type.SSH, HostKeyPolicy.STRICT,
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), null, null, null);
    }

    public ConnectionSpec withPrivateKeys(List<Path> keys) {
        return new ConnectionSpec(host, address, port, user, keys, password, type, hostKeyPolicy, knownHosts, jump,
                connectTimeout, keepaliveInterval);
    }

    public ConnectionSpec withPassword(String pw) {
        return new ConnectionSpec(host, address, port, user, privateKeys, pw, type, hostKeyPolicy, knownHosts, jump,
                connectTimeout, keepaliveInterval);
    }

    public ConnectionSpec withHostKeys(HostKeyPolicy policy, Path file) {
        return new ConnectionSpec(host, address, port, user, privateKeys, password, type, policy, file, jump,
                connectTimeout, keepaliveInterval);
    }

    public ConnectionSpec withJump(JumpHost j) {
        return new ConnectionSpec(host, address, port, user, privateKeys, password, type, hostKeyPolicy, knownHosts, j,
                connectTimeout, keepaliveInterval);
    }

    public ConnectionSpec withConnectTimeout(Duration t) {
        return new ConnectionSpec(host, address, port, user, privateKeys, password, type, hostKeyPolicy, knownHosts, jump,
                t, keepaliveInterval);
    }

    /** "db1 (10.0.0.5:22) as postgres": how errors name the target. */
    public String describe() {
        return host + " (" + address + ":" + port + ") as " + user
                + (jump == null ? "" : " via jump host " + jump);
    }

    /** Builds a spec from a host's variables; bad values raise {@link UserError} naming the host and variable. */
    public static ConnectionSpec fromVars(String inventoryHostname, Map<String, Object> hostVars, Options options) {
        Map<String, Object> v = hostVars == null ? Map.of() : hostVars;
        Options o = options == null ? Options.defaults() : options;
        String h = inventoryHostname;

        String typeText = firstString(v, "ansible_connection");
        if (typeText == null) typeText = o.connection();
        Type type = parseType(h, typeText);

        String address = firstString(v, "ansible_host", "ansible_ssh_host");
        int port = intVar(h, v, 22, "ansible_port", "ansible_ssh_port");
        String user = firstString(v, "ansible_user", "ansible_ssh_user");
        if (user == null) user = o.user();
        if (user == null) user = o.localUser();

        SshArgs args = SshArgs.parse(h, String.join(" ",
                nonNull(firstString(v, "ansible_ssh_common_args")), nonNull(firstString(v, "ansible_ssh_extra_args"))));

        Path home = o.home() == null ? Path.of(System.getProperty("user.home")) : o.home();
        List<Path> keys = new ArrayList<>();
        String keyVar = firstString(v, "ansible_ssh_private_key_file", "ansible_private_key_file");
        if (keyVar != null) keys.add(expandHome(keyVar, home));
        else if (o.privateKey() != null) keys.add(o.privateKey());
        else {
            for (String name : DEFAULT_KEY_NAMES) {
                Path p = home.resolve(".ssh").resolve(name);
                if (Files.isRegularFile(p)) keys.add(p);
            }
        }

        String password = firstString(v, "ansible_password", "ansible_ssh_pass", "ansible_ssh_password");

        HostKeyPolicy policy = null;
        String policyText = firstString(v, "drover_host_key_policy");
        if (policyText != null) {
            policy = HostKeyPolicy.parse(policyText);
            if (policy == null) {
                throw new UserError(null, "host " + h + ": drover_host_key_policy: expected strict, accept-new or off, found '"
                        + policyText + "'");
            }
        }
        if (policy == null) {
            Object checking = first(v, "ansible_host_key_checking", "ansible_ssh_host_key_checking");
            if (checking != null) policy = bool(h, "ansible_host_key_checking", checking) ? HostKeyPolicy.STRICT : HostKeyPolicy.OFF;
        }
        if (policy == null) policy = args.hostKeyPolicy;
        if (policy == null) policy = o.hostKeyPolicy();
        if (policy == null) policy = HostKeyPolicy.STRICT;

        String knownText = firstString(v, "drover_known_hosts_file");
        Path known = knownText != null ? expandHome(knownText, home)
                : args.knownHostsFile != null ? expandHome(args.knownHostsFile, home)
                : home.resolve(".ssh").resolve("known_hosts");

        JumpHost jump = args.jump;
        String jumpText = firstString(v, "drover_jump_host");
        if (jumpText != null) {
            jump = jumpText.isBlank() ? null : JumpHost.parse(jumpText);
            if (jump == null && !jumpText.isBlank()) {
                throw new UserError(null, "host " + h + ": drover_jump_host: expected [user@]host[:port], found '" + jumpText + "'");
            }
        }

        Duration timeout = null;
        if (first(v, "ansible_timeout") != null) timeout = Duration.ofSeconds(intVar(h, v, 10, "ansible_timeout"));
        else if (args.connectTimeout != null) timeout = args.connectTimeout;
        else if (o.timeout() != null) timeout = o.timeout();
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new UserError(null, "host " + h + ": ansible_timeout: expected a positive number of seconds, found " + timeout.toSeconds());
        }

        Duration keepalive = null;
        if (first(v, "drover_keepalive_interval") != null) {
            keepalive = Duration.ofSeconds(intVar(h, v, 30, "drover_keepalive_interval"));
        } else if (args.keepalive != null) {
            keepalive = args.keepalive;
        }
        if (keepalive != null && keepalive.isNegative()) keepalive = Duration.ZERO;

        try {
            return new ConnectionSpec(h, address, port, user, keys, password, type, policy, known, jump, timeout, keepalive);
        } catch (IllegalArgumentException e) {
            throw new UserError(null, "host " + h + ": ansible_port: expected 1-65535, found " + port);
        }
    }

    @Override
    public String toString() {
        return "ConnectionSpec[host=" + host + ", address=" + address + ", port=" + port + ", user=" + user
                + ", privateKeys=" + privateKeys + ", password=" + (password == null ? "none" : "<hidden>")
                + ", type=" + type + ", hostKeyPolicy=" + hostKeyPolicy + ", knownHosts=" + knownHosts
                + ", jump=" + jump + ", connectTimeout=" + connectTimeout + ", keepaliveInterval=" + keepaliveInterval + "]";
    }

    private static Type parseType(String h, String t) {
        if (t == null) return Type.SSH;
        switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "ssh", "smart", "paramiko", "paramiko_ssh":
                return Type.SSH;
            case "local":
                return Type.LOCAL;
            default:
                throw new UserError(null, "host " + h + ": ansible_connection: Drover supports 'ssh' and 'local', found '" + t + "'");
        }
    }

    private static Object first(Map<String, Object> v, String... names) {
        for (String n : names) {
            Object o = v.get(n);
            if (o != null) return o;
        }
        return null;
    }

    private static String firstString(Map<String, Object> v, String... names) {
        Object o = first(v, names);
        return o == null ? null : o.toString();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static int intVar(String h, Map<String, Object> v, int dflt, String... names) {
        for (String n : names) {
            Object o = v.get(n);
            if (o == null) continue;
            if (o instanceof Number num) return num.intValue();
            try {
                return Integer.parseInt(o.toString().trim());
            } catch (NumberFormatException e) {
                throw new UserError(null, "host " + h + ": " + n + ": expected a number, found " + UserError.describe(o));
            }
        }
        return dflt;
    }

    /** Ansible's boolean spellings (yes/no, true/false, on/off, 1/0); anything else is a user error. */
    static boolean bool(String h, String name, Object o) {
        if (o instanceof Boolean b) return b;
        switch (o.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "y", "t":
                return true;
            case "false", "no", "off", "0", "n", "f":
                return false;
            default:
                throw new UserError(null, "host " + h + ": " + name + ": expected a boolean, found " + UserError.describe(o));
        }
    }

    static Path expandHome(String p, Path home) {
        if (p.equals("~")) return home;
        if (p.startsWith("~/")) return home.resolve(p.substring(2));
        return Path.of(p);
    }

    /** The few OpenSSH options in {@code ansible_ssh_common_args} that change where or how Drover connects. */
    private record SshArgs(JumpHost jump, HostKeyPolicy hostKeyPolicy, String knownHostsFile, Duration connectTimeout,
                           Duration keepalive) {

        static SshArgs parse(String h, String text) {
            List<String> words = ShellWords.split(text);
            JumpHost jump = null;
            HostKeyPolicy policy = null;
            String known = null;
            Duration timeout = null;
            Duration keepalive = null;
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                String opt = null;
                if (w.equals("-o") && i + 1 < words.size()) opt = words.get(++i);
                else if (w.startsWith("-o") && w.length() > 2) opt = w.substring(2);
                else if (w.equals("-J") && i + 1 < words.size()) opt = "ProxyJump=" + words.get(++i);
                else if (w.startsWith("-J") && w.length() > 2) opt = "ProxyJump=" + w.substring(2);
                if (opt == null) continue;
                int eq = opt.indexOf('=');
                String[] kv = eq >= 0 ? new String[] {opt.substring(0, eq), opt.substring(eq + 1)} : opt.trim().split("\\s+", 2);
                if (kv.length < 2) continue;
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                String val = kv[1].trim();
                switch (key) {
                    case "proxyjump" -> {
                        if (val.equalsIgnoreCase("none")) break;
                        if (val.contains(",")) {
                            throw new UserError(null, "host " + h + ": ProxyJump '" + val
                                    + "': Drover supports one jump host, not a chain");
                        }
                        jump = JumpHost.parse(val);
                        if (jump == null) {
                            throw new UserError(null, "host " + h + ": ProxyJump: expected [user@]host[:port], found '" + val + "'");
                        }
                    }
                    case "proxycommand" -> {
                        if (!val.equalsIgnoreCase("none")) {
                            throw new UserError(null, "host " + h + ": ProxyCommand is not supported by Drover; use "
                                    + "-o ProxyJump=user@bastion:port or drover_jump_host");
                        }
                    }
                    case "stricthostkeychecking" -> policy = HostKeyPolicy.parse(val);
                    case "userknownhostsfile" -> known = val.split("\\s+")[0];
                    case "connecttimeout" -> timeout = seconds(val);
                    case "serveraliveinterval" -> keepalive = seconds(val);
                    default -> {
                        // other OpenSSH options do not change how Drover connects
                    }
                }
            }
            return new SshArgs(jump, policy, known, timeout, keepalive);
        }

        private static Duration seconds(String s) {
            try {
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
