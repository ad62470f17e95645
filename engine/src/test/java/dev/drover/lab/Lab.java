package dev.drover.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The multi-host test lab ({@code lab/lab.sh}, see {@code docs/lab.md}) seen from JUnit: N hosts
 * {@code labhost1..N}, each with its own network, mount, PID and UTS namespaces and a real OpenSSH sshd.
 *
 * <p>Typical use in an end-to-end test:
 * <pre>{@code
 * Lab lab = Lab.shared(3, "labhost3");           // labhost3 has no Java
 * Path inventory = lab.inventory();               // INI inventory: master, replica, arbiter, java, nojava groups
 * lab.exec("labhost1", "pgrep -f drover-agent");  // run a command inside a host, bypassing ssh
 * }</pre>
 *
 * <p>{@link #shared} runs {@code lab.sh up} once per JVM (again only if a later call asks for another shape),
 * reuses a lab that is already up, and takes the lab down at JVM exit if this JVM brought it up
 * (set {@code DROVER_LAB_KEEP=1} to keep it). {@link #start} brings up a separate lab in its own state dir,
 * which {@link #close} takes down. Needs root and {@code ip netns}: if the lab cannot start, this throws,
 * so tests fail rather than skip.
 */
public final class Lab implements AutoCloseable {

    /** One lab host. {@code java} is false for hosts started with {@code --no-java}. */
    public record Host(String name, String address, boolean java) {}

    /** A finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws with the command's output if it failed. */
        public Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(describe());
            }
            return this;
        }

        public String describe() {
            return "command " + command + " exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CMD_TIMEOUT = Duration.ofMinutes(5);

    private static Lab shared;

    private final Path repoRoot;
    private final Path script;
    private final Path stateDir;
    private int size;
    private Set<String> noJava = Set.of();
    private List<Host> hosts = List.of();
    private boolean ownedHere;
    private boolean down;

    private Lab(Path repoRoot, Path stateDir) {
        this.repoRoot = repoRoot;
        this.script = repoRoot.resolve("lab/lab.sh");
        this.stateDir = stateDir.toAbsolutePath().normalize();
    }

    /**
     * The JVM-wide lab in the default state dir ({@code lab/state}, or {@code DROVER_LAB_STATE} /
     * {@code -Ddrover.lab.state}) with exactly {@code hosts} hosts, of which {@code noJavaHosts} (names such as
     * {@code labhost3}) have no Java.
     */
    public static synchronized Lab shared(int hosts, String... noJavaHosts) {
        Path root = repoRoot();
        String configured = System.getProperty("drover.lab.state", System.getenv("DROVER_LAB_STATE"));
        Path state = configured == null || configured.isBlank() ? defaultStateDir() : Path.of(configured);
        if (shared == null || shared.down || !shared.stateDir.equals(state.toAbsolutePath().normalize())) {
            shared = new Lab(root, state);
            Lab lab = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (lab.ownedHere && !lab.down && !"1".equals(System.getenv("DROVER_LAB_KEEP"))) {
                    lab.down();
                }
            }, "drover-lab-down"));
        }
        shared.ensure(hosts, noJavaHosts);
        return shared;
    }

    /**
     * Where lab.sh keeps this checkout's lab: {@code lab/state}, or a directory under /srv/drover-lab when the
     * checkout is under a directory the hosts replace (a clone in /tmp or /root). lab.sh decides; we ask it.
     */
    public static Path defaultStateDir() {
        Path script = repoRoot().resolve("lab/lab.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "statedir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) throw new IllegalStateException("lab.sh statedir failed: " + out);
            return Path.of(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A lab of its own in {@code stateDir} (not under /tmp, /var, /opt, /home, /root, /etc, /run); close() takes it down. */
    public static Lab start(Path stateDir, int hosts, String... noJavaHosts) {
        Lab lab = new Lab(repoRoot(), stateDir);
        lab.ensure(hosts, noJavaHosts);
        lab.ownedHere = true;
        return lab;
    }

    private synchronized void ensure(int n, String... noJavaHosts) {
        if (n < 1) {
            throw new IllegalArgumentException("a lab needs at least one host, got " + n);
        }
        Set<String> wantNoJava = new TreeSet<>();
        for (String h : noJavaHosts) {
            wantNoJava.add(h.startsWith("labhost") ? h : "labhost" + h);
        }
        if (!down && size == n && noJava.equals(wantNoJava) && !hosts.isEmpty()) {
            return;
        }
        boolean wasUp = run(List.of("bash", script.toString(), "status"), CMD_TIMEOUT).ok();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "up", Integer.toString(n)));
        if (!wantNoJava.isEmpty()) {
            cmd.add("--no-java");
            cmd.add(String.join(",", wantNoJava));
        }
        Result up = run(cmd, UP_TIMEOUT);
        if (!up.ok()) {
            throw new IllegalStateException("the lab did not come up (needs root, ip netns, sshd: run .ci/install-deps)\n"
                    + up.describe());
        }
        ownedHere = ownedHere || !wasUp;
        down = false;
        size = n;
        noJava = Set.copyOf(wantNoJava);
        hosts = readHosts();
        if (hosts.size() != n) {
            throw new IllegalStateException("lab.sh up " + n + " wrote " + hosts.size() + " hosts to " + stateDir.resolve("hosts.tsv"));
        }
    }

    private List<Host> readHosts() {
        try {
            List<Host> list = new ArrayList<>();
            for (String line : Files.readAllLines(stateDir.resolve("hosts.tsv"))) {
                String[] f = line.split("\t");
                if (f.length < 3 || f[0].equals("name")) {
                    continue;
                }
                list.add(new Host(f[0], f[1], Boolean.parseBoolean(f[2])));
            }
            return List.copyOf(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab's host list in " + stateDir, e);
        }
    }

    /** The checkout holding {@code lab/lab.sh}: {@code -Ddrover.lab.root}, or the nearest parent of the working dir. */
    public static Path repoRoot() {
        String configured = System.getProperty("drover.lab.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lab/lab.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("lab/lab.sh not found above " + Path.of("").toAbsolutePath() + "; set -Ddrover.lab.root");
    }

    public Path repo() {
        return repoRoot;
    }

    public Path script() {
        return script;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** INI inventory with {@code ansible_host}, {@code ansible_user=root}, key, known_hosts and PostgreSQL groups. */
    public Path inventory() {
        return stateDir.resolve("inventory.ini");
    }

    /** known_hosts listing every host's ed25519 and ECDSA keys, under its name and its address. */
    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    /** The controller's ed25519 private key, authorized for root and {@code drover} on every host. */
    public Path privateKey() {
        return stateDir.resolve("id_ed25519");
    }

    /** For {@code ssh -F sshConfig() labhost1}: user root, the key, strict checking against {@link #knownHosts()}. */
    public Path sshConfig() {
        return stateDir.resolve("ssh_config");
    }

    /** The unprivileged user on every host, with passwordless sudo. */
    public String unprivilegedUser() {
        return "drover";
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** A host by name ({@code labhost2}) or number ({@code 2}). */
    public Host host(String name) {
        String n = name.startsWith("labhost") ? name : "labhost" + name;
        return hosts.stream().filter(h -> h.name().equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab host " + name + " in " + hosts));
    }

    /** Host number {@code index}, from 1. */
    public Host host(int index) {
        return host("labhost" + index);
    }

    /** The hosts of an inventory group ({@code master}, {@code replica}, {@code arbiter}, {@code java}, {@code nojava}). */
    public List<Host> group(String group) {
        try {
            List<Host> out = new ArrayList<>();
            boolean in = false;
            for (String line : Files.readAllLines(inventory())) {
                String l = line.trim();
                if (l.startsWith("[")) {
                    in = l.equals("[" + group + "]");
                } else if (in && !l.isEmpty() && !l.startsWith("#")) {
                    out.add(host(l.split("\\s+")[0]));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + inventory(), e);
        }
    }

    /** Address of each host by name, in host order. */
    public Map<String, String> addresses() {
        Map<String, String> m = new LinkedHashMap<>();
        hosts.forEach(h -> m.put(h.name(), h.address()));
        return m;
    }

    /**
     * A power cut on one host: its PID 1 is killed, so the kernel ends every process of the host (sshd, the
     * servers, a command in flight) at once; its files stay. {@link #bringBack} starts it again like a reboot.
     */
    public void kill(String host) {
        Path pidFile = stateDir.resolve("hosts/" + host(host).name() + "/init.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle init = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(host + " is not running"));
            init.destroyForcibly();
            init.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(host + " did not die within 30 s", e);
        }
    }

    /** {@code lab.sh up} again with the same hosts: a host that was {@link #kill killed} restarts with its files. */
    public synchronized void bringBack() {
        down = true;
        ensure(size, noJava.toArray(String[]::new));
    }

    /**
     * Runs a {@code sh -c} command line inside the host's namespaces as root, without ssh
     * ({@code lab.sh exec}): for assertions about the host's processes and files.
     */
    public Result exec(String host, String shellCommand) {
        return run(List.of("bash", script.toString(), "exec", host(host).name(), "sh", "-c", shellCommand), CMD_TIMEOUT);
    }

    /** Runs a command line over real ssh as root, with strict host key checking. */
    public Result ssh(String host, String shellCommand) {
        return sshAs("root", host, shellCommand);
    }

    /** Runs a command line over real ssh as {@code user} (root or {@link #unprivilegedUser()}). */
    public Result sshAs(String user, String host, String shellCommand) {
        List<String> cmd = new ArrayList<>(sshCommand());
        cmd.addAll(List.of("-l", user, host(host).name(), shellCommand));
        return run(cmd, CMD_TIMEOUT);
    }

    /** {@code ssh} with this lab's config and batch mode; append {@code host command}. */
    public List<String> sshCommand() {
        return List.of("ssh", "-F", sshConfig().toString(), "-o", "BatchMode=yes");
    }

    /**
     * Environment for the {@code ansible*} commands, besides {@code -i inventory()} (which already carries the
     * key and known_hosts): the same ssh options through {@code ANSIBLE_SSH_ARGS}, and no retry files.
     */
    public Map<String, String> ansibleEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("ANSIBLE_SSH_ARGS", "-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=" + knownHosts()
                + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        return env;
    }

    /** Runs {@code ansible -i inventory() ARGS} (e.g. {@code "all", "-m", "ping"}) with {@link #ansibleEnv()}. */
    public Result ansible(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ansible", "-i", inventory().toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, ansibleEnv(), null, CMD_TIMEOUT);
    }

    /** Runs {@code ansible-playbook -i inventory() ARGS} with {@link #ansibleEnv()}. */
    public Result ansiblePlaybook(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory().toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, ansibleEnv(), null, CMD_TIMEOUT);
    }

    /** {@code lab.sh status}: exit 0 only if every host runs sshd and answers ssh. */
    public Result status() {
        return run(List.of("bash", script.toString(), "status"), CMD_TIMEOUT);
    }

    /** Takes the lab down ({@code lab.sh down}); a later {@link #shared} call brings it up again. */
    public synchronized void down() {
        Result r = run(List.of("bash", script.toString(), "down"), DOWN_TIMEOUT);
        down = true;
        hosts = List.of();
        size = 0;
        if (!r.ok()) {
            throw new IllegalStateException("lab.sh down failed\n" + r.describe());
        }
    }

    @Override
    public void close() {
        if (!down) {
            down();
        }
    }

    private Result run(List<String> cmd, Duration timeout) {
        return run(cmd, Map.of(), null, timeout);
    }

    /** Runs a command on the controller, in the checkout, with the lab's state dir in its environment. */
    public Result run(List<String> cmd, Map<String, String> env, byte[] stdin, Duration timeout) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("DROVER_LAB_STATE", stateDir.toString());
        return execute(cmd, all, stdin, timeout, repoRoot);
    }

    /** Runs a command line with {@code bash -c} on the controller (for snapshots of the machine). */
    public static Result controller(String shellCommand) {
        return execute(List.of("bash", "-c", shellCommand), Map.of(), null, CMD_TIMEOUT, Path.of("").toAbsolutePath());
    }

    private static Result execute(List<String> cmd, Map<String, String> env, byte[] stdin, Duration timeout, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // the command did not read its input; its exit code tells the rest
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + cmd);
            }
            return new Result(List.copyOf(cmd), p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted: " + cmd, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + cmd, e.getCause());
        }
    }

    private static String drain(InputStream s) {
        try (s) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            s.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Lab[" + stateDir + ", " + hosts.stream().map(h -> h.name() + "=" + h.address()).collect(Collectors.joining(", ")) + "]";
    }
}
