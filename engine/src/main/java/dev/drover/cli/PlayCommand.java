package dev.drover.cli;

import dev.drover.error.ExitCode;
import dev.drover.error.Position;
import dev.drover.error.Suggest;
import dev.drover.error.UserError;
import dev.drover.inventory.Host;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryLoader;
import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.ExtraVars;
import dev.drover.playbook.ModuleResolver;
import dev.drover.playbook.ModuleSource;
import dev.drover.playbook.NativeActions;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.PlaybookLister;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.PlaybookRunner;
import dev.drover.playbook.TagFilter;
import dev.drover.playbook.Task;
import dev.drover.report.EventSink;
import dev.drover.report.EventStream;
import dev.drover.report.Redactor;
import dev.drover.report.ReportFiles;
import dev.drover.report.RunRecorder;
import dev.drover.vault.RedactingWriter;
import dev.drover.vault.Secrets;
import dev.drover.vault.Vault;
import dev.drover.vault.VaultPasswords;
import dev.drover.report.TimingSink;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover play}: ansible-playbook's command line. Loads every playbook first (so a mistake anywhere is
 * reported before anything runs), then lists, checks syntax, or hands over to the {@link PlaybookRunner}.
 */
@Command(name = "play", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs Ansible playbooks (ansible-playbook's options).")
public final class PlayCommand implements Callable<Integer> {
    private static final Set<String> CONNECTIONS = Set.of("ssh", "smart", "paramiko", "local");
    private static final Set<String> BECOME_METHODS = Set.of("sudo", "su", "doas", "pbrun", "pfexec", "dzdo", "ksu",
            "machinectl", "sesu", "runas", "enable", "pmrun");

    /** Parameters the integrator supplies; the no-argument constructor (used by picocli) has none wired. */
    public record Wiring(PlaybookRunner runner, ModuleSource actions, List<Path> projectRolesDirs,
            List<Path> collectionsPaths, Function<PlayOptions, Function<String, List<String>>> hostLister,
            Map<String, String> env) {}

    private final Wiring wiring;

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "inventory file, directory or comma-separated host list (repeatable)")
    List<String> inventories = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "SUBSET", description = "further limit hosts to a pattern")
    String limit;

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", description = "only run tasks tagged with these")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAGS", description = "skip tasks tagged with these")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "extra variables: key=value, @file.yml or JSON (repeatable; later wins)")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-c", "--connection"}, paramLabel = "CONNECTION", description = "connection type (ssh, local)")
    String connection;

    @Option(names = {"-C", "--check"}, description = "don't make changes; predict what would change")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "show differences in changed files")
    boolean diff;

    /**
     * 25, not Ansible's 5: a fork here is a thread on one SSH session per host, not a process, so a whole cluster
     * moves in one step, while bounding the SSH handshakes that start at once on a large fleet.
     */
    @Option(names = {"-f", "--forks"}, paramLabel = "FORKS", description = "parallel hosts (default 25)")
    int forks = 25;

    @Option(names = "-v", description = "more output (-vvv for stack traces)")
    boolean[] verbose = new boolean[0];

    @Option(names = "--list-hosts", description = "list the hosts each play would run on")
    boolean listHosts;

    @Option(names = "--list-tasks", description = "list the tasks each play would run")
    boolean listTasks;

    @Option(names = "--list-tags", description = "list the tags of each play")
    boolean listTags;

    @Option(names = "--syntax-check", description = "check the playbooks without running them")
    boolean syntaxCheck;

    @Option(names = "--start-at-task", paramLabel = "TASK", description = "start at the task with this name")
    String startAtTask;

    @Option(names = "--step", description = "confirm each task before running it")
    boolean step;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "connect as this user")
    String remoteUser;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE", description = "SSH private key file")
    Path privateKey;

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", description = "connection timeout in seconds")
    Integer timeout;

    @Option(names = {"-k", "--ask-pass"}, description = "ask for the connection password")
    boolean askPass;

    @Option(names = {"-b", "--become"}, description = "run operations with become")
    boolean become;

    @Option(names = "--become-user", paramLabel = "USER", description = "become this user (default root)")
    String becomeUser;

    @Option(names = "--become-method", paramLabel = "METHOD", description = "privilege escalation method (sudo, su)")
    String becomeMethod;

    @Option(names = {"-K", "--ask-become-pass"}, description = "ask for the privilege escalation password")
    boolean askBecomePass;

    @Option(names = "--roles-path", paramLabel = "DIRS", description = "role directories (':'-separated, repeatable)")
    List<String> rolesPath = new ArrayList<>();

    @Option(names = "--force-handlers", description = "run handlers even if a task fails")
    boolean forceHandlers;

    /** Set by {@code drover recover}: run only the recovery section, seeded from the journal of this run. */
    dev.drover.exec.RecoverySeed recoverySeed;

    @Option(names = "--no-journal", description = "do not write the run journal (.drover/runs); drover recover cannot resume such a run")
    boolean noJournal;

    @Option(names = "--flush-cache", description = "clear the fact cache of every host in the inventory")
    boolean flushCache;

    @Mixin
    VaultOptions vault = new VaultOptions();

    @Option(names = "--report", paramLabel = "FORMAT=FILE",
            description = "when the run ends, write a report: json=FILE or junit=FILE (repeatable)")
    List<String> reports = new ArrayList<>();

    @Option(names = "--events", paramLabel = "jsonl=FILE",
            description = "stream every event as a JSON line to FILE while the run goes; jsonl=- writes them to"
                    + " stdout and the console to stderr")
    List<String> events = new ArrayList<>();

    @Parameters(paramLabel = "playbook", arity = "1..*", description = "playbook files")
    List<Path> playbooks = new ArrayList<>();

    /** The secrets, read once (a prompt asks once) when first needed: by -e @file or by loading. */
    private Vault secrets;

    /** Used by picocli through {@link Main}: nothing is wired to run playbooks yet, listing works. */
    public PlayCommand() {
        this(new Wiring(null, nativeActions(), List.of(Path.of("roles")), List.of(),
                PlayCommand::inventoryHosts, System.getenv()));
    }

    /**
     * For --list-hosts: the inventory from {@code -i}, each play's pattern selected in inventory order, then
     * {@code --limit} applied. Ansible prints these from a Python set (arbitrary order); Drover keeps the
     * inventory's order, which is the order a run uses.
     */
    static Function<String, List<String>> inventoryHosts(PlayOptions options) {
        // the secrets are read again from their sources: listing has no run to share them with
        Vault vault = new Vault(VaultPasswords.read(options.vaultPasswordFiles(), VaultPasswords.CONSOLE), new Secrets());
        Inventory inventory = new InventoryLoader(Path.of(""), vault).load(options.inventories());
        return pattern -> {
            List<Host> hosts = inventory.select(pattern);
            if (options.limit() != null) hosts = inventory.limit(hosts, options.limit());
            return hosts.stream().map(Host::name).toList();
        };
    }

    /** Host modules plus the actions the executor runs on the controller. */
    private static NativeActions nativeActions() {
        return new NativeActions(ModuleRegistry.standard().names(), dev.drover.exec.Executor.controllerActions());
    }

    public PlayCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        PlayOptions options = options();
        reportTargets(); // a mistake in --report/--events is reported before anything loads or runs
        eventTargets();
        Vault keys = secrets();
        // from here on nothing reaches the console, error messages included, without passing the redaction
        redactOutput(keys.secrets());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventSink consoleSink = consoleSink(options, eventTargets().contains("-") ? err : out);
        TimingSink timing = TimingSink.wanted(options.verbosity())
                ? new TimingSink(consoleSink, err, TimingSink.processStartMillis()) : null;
        if (timing != null) timing.mark("command line parsed");
        ModuleResolver modules = new ModuleResolver(List.of(wiring.actions()));
        PlaybookLoader loader = new PlaybookLoader(modules, rolesSearchPath(options),
                collectionsPath(), options.extraVars(), keys);
        List<Playbook> loaded = new ArrayList<>();
        for (Path p : options.playbooks()) loaded.add(loader.load(p));
        if (timing != null) timing.mark("playbooks loaded");

        List<Task> unknown = loaded.stream().flatMap(pb -> pb.unknownModules().stream()).toList();
        if (options.listingOnly()) {
            for (Task t : unknown) {
                err.println("[WARNING]: " + t.pos() + ": unknown module '" + t.writtenAction()
                        + "': Drover cannot run this task");
            }
            err.flush();
            Function<String, List<String>> hosts = null;
            if (options.listHosts()) {
                if (wiring.hostLister() == null) {
                    throw new UserError(null, "--list-hosts needs the inventory, which is not wired into"
                            + " 'drover play' yet", ExitCode.BAD_OPTIONS, null);
                }
                hosts = wiring.hostLister().apply(options);
            }
            PlaybookLister.Request req = new PlaybookLister.Request(options.listTasks(), options.listTags(),
                    options.tagFilter(), hosts, options.extraVars());
            boolean syntaxOnly = options.syntaxCheck() && !options.listHosts() && !options.listTasks()
                    && !options.listTags();
            for (int i = 0; i < loaded.size(); i++) {
                out.print(PlaybookLister.render(this.playbooks.get(i).toString(), loaded.get(i), req, syntaxOnly));
            }
            out.flush();
            return ExitCode.OK.code();
        }
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder("cannot run: " + unknown.size() + " task"
                    + (unknown.size() == 1 ? " uses a module" : "s use modules") + " Drover does not have: ");
            List<String> items = new ArrayList<>();
            for (Task t : unknown) {
                String hint = Suggest.hint(t.writtenAction(), modules.names());
                items.add("'" + t.writtenAction() + "' at " + t.pos() + (hint.isEmpty() ? "" : " (" + hint.substring(2) + ")"));
            }
            sb.append(String.join(", ", items));
            throw new UserError(unknown.get(0).pos(), sb.toString()); // positioned at the first, as every bad input
        }
        if (wiring.runner() != null && recoverySeed == null) return wiring.runner().run(options, loaded);
        EventSink console = timing != null ? timing : consoleSink;
        Redactor redactor = redactor(options, loaded);
        List<EventSink> machine = machineSinks(redactor, err);
        // first: a secret a task sets is known before the console or a file shows it
        List<EventSink> all = new ArrayList<>(List.of(Redactor.learning(secrets().secrets()), console));
        if (!noJournal) {
            all.add(new dev.drover.journal.JournalSink(options, dev.drover.journal.RunsDir.root(),
                    recoverySeed == null ? null : recoverySeed.runId(), redactor));
        }
        all.addAll(machine);
        dev.drover.exec.Executor executor = new dev.drover.exec.Executor(EventSink.all(all),
                loader, ModuleRegistry.standard());
        try {
            return recoverySeed != null ? executor.recover(options, loaded, recoverySeed) : executor.run(options, loaded);
        } catch (UserError e) {
            // a mistake found while running (a missing vars_files, ...) ends the run: the reports and the event
            // stream still end, saying so, for the CI job that reads them
            EventSink ending = EventSink.all(machine);
            ending.on(new dev.drover.report.Event.Warning("ERROR: " + e.render()));
            ending.on(new dev.drover.report.Event.RunFinished(Map.of(), e.exitCode().code(), 0));
            ending.close();
            throw e;
        }
    }

    /**
     * The --events streams and --report files; all of them see the same events as the console. jsonl=- puts the
     * stream on stdout, so the console moves to stderr and the two never interleave.
     */
    private List<EventSink> machineSinks(Redactor redactor, PrintWriter err) {
        List<ReportFiles.Target> targets = reportTargets();
        List<String> streams = eventTargets();
        List<EventSink> sinks = new ArrayList<>();
        if (targets.isEmpty() && streams.isEmpty()) return sinks;
        java.util.function.Consumer<String> warn = msg -> {
            err.println("[WARNING]: " + msg);
            err.flush();
        };
        for (String target : streams) {
            if (target.equals("-")) {
                sinks.add(new EventStream(spec.commandLine().getOut(), false, redactor, java.time.Instant::now, warn));
                continue;
            }
            try {
                sinks.add(new EventStream(java.nio.file.Files.newBufferedWriter(Path.of(target)), true, redactor,
                        java.time.Instant::now, warn));
            } catch (java.io.IOException e) {
                throw badOption("--events: cannot write '" + target + "': " + e.getMessage());
            }
        }
        if (!targets.isEmpty()) {
            sinks.add(new ReportFiles(new RunRecorder(redactor, java.time.Instant::now), targets, warn));
        }
        return sinks;
    }

    private Vault secrets() {
        if (secrets == null) secrets = vault.open(wiring.env(), VaultPasswords.CONSOLE);
        return secrets;
    }

    /** Wraps this command's output and error writers so that decrypted vault values never appear in them. */
    private void redactOutput(Secrets secrets) {
        CommandLine cl = spec.commandLine();
        cl.setOut(new PrintWriter(new RedactingWriter(cl.getOut(), secrets), true));
        cl.setErr(new PrintWriter(new RedactingWriter(cl.getErr(), secrets), true));
    }

    /** Colour only when writing to a terminal, as Ansible does. */
    private EventSink consoleSink(PlayOptions options, PrintWriter out) {
        boolean tty = System.console() != null && System.getenv("NO_COLOR") == null
                && out != null && "1".equals(System.getenv().getOrDefault("DROVER_COLOR", "1"));
        return new dev.drover.report.ConsoleSink(out, tty, options.verbosity());
    }

    /**
     * The values the console, reports, event streams and the journal must never show: those of secret-named
     * variables (passwords, tokens, vault values) in the inventory (with its group_vars/host_vars), the plays' vars
     * and the extra vars.
     */
    private Redactor redactor(PlayOptions options, List<Playbook> loaded) {
        List<Map<String, Object>> layers = new ArrayList<>();
        layers.add(options.extraVars());
        for (Playbook pb : loaded) {
            for (dev.drover.playbook.Play play : pb.plays()) layers.add(play.vars());
        }
        Inventory inventory = new InventoryLoader(Path.of(""), secrets()).load(options.inventories());
        Path dir = loaded.isEmpty() ? null : loaded.get(0).file().toAbsolutePath().getParent();
        for (String host : inventory.hosts().keySet()) layers.addAll(inventory.variableLayers(host, dir));
        Redactor known = Redactor.fromVariables(layers);
        // the console hides them too: its writers mask the run's secrets, so a password echoed into a result's
        // stdout or a failure message is masked there as it is in the journal and the reports
        for (String v : known.values()) secrets().secrets().add(v);
        return known.and(secrets().secrets());
    }

    /** {@code --report FORMAT=FILE}, checked before anything runs. */
    List<ReportFiles.Target> reportTargets() {
        List<ReportFiles.Target> out = new ArrayList<>();
        for (String r : reports) {
            int eq = r.indexOf('=');
            String format = eq < 0 ? r : r.substring(0, eq);
            ReportFiles.Format f = switch (format) {
                case "json" -> ReportFiles.Format.JSON;
                case "junit" -> ReportFiles.Format.JUNIT;
                default -> throw badOption("--report: unknown format '" + format + "' in '" + r
                        + "' (expected json=FILE or junit=FILE)" + Suggest.hint(format, Set.of("json", "junit")));
            };
            if (eq < 0 || eq == r.length() - 1) throw badOption("--report " + r + ": the file is missing (expected " + format + "=FILE)");
            out.add(new ReportFiles.Target(f, writableFile("--report", r.substring(eq + 1))));
        }
        return out;
    }

    /** {@code --events jsonl=FILE}: the files (or "-" for stdout), checked before anything runs. */
    List<String> eventTargets() {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            if (!e.startsWith("jsonl=") || e.length() == "jsonl=".length()) {
                throw badOption("--events: expected jsonl=FILE or jsonl=-, found '" + e + "'");
            }
            String target = e.substring("jsonl=".length());
            if (target.equals("-")) {
                if (out.contains("-")) throw badOption("--events: stdout (jsonl=-) given twice");
                out.add(target);
            } else {
                out.add(writableFile("--events", target).toString());
            }
        }
        return out;
    }

    private static Path writableFile(String option, String name) {
        Path p = Path.of(name);
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            throw badOption(option + ": the directory of '" + name + "' does not exist");
        }
        if (java.nio.file.Files.isDirectory(p)) throw badOption(option + ": '" + name + "' is a directory");
        return p;
    }

    /** Validates the options and gathers them into one record. */
    PlayOptions options() {
        if (forks < 1) throw badOption("-f/--forks must be at least 1, found " + forks);
        if (timeout != null && timeout < 1) throw badOption("-T/--timeout must be at least 1 second, found " + timeout);
        if (connection != null && !CONNECTIONS.contains(connection)) {
            throw badOption("-c/--connection: unknown connection type '" + connection + "' (expected one of "
                    + String.join(", ", CONNECTIONS.stream().sorted().toList()) + ")"
                    + Suggest.hint(connection, CONNECTIONS));
        }
        if (becomeMethod != null && !BECOME_METHODS.contains(becomeMethod)) {
            throw badOption("--become-method: unknown method '" + becomeMethod + "'" + Suggest.hint(becomeMethod,
                    BECOME_METHODS));
        }
        if (privateKey != null && !privateKey.toFile().isFile()) {
            throw badOption("--private-key: file '" + privateKey + "' not found");
        }
        for (Path p : playbooks) {
            if (!p.toFile().exists()) throw new UserError(Position.file(p), "the playbook was not found");
            if (!p.toFile().isFile()) throw new UserError(Position.file(p), "the playbook is not a file");
        }
        List<Path> roles = new ArrayList<>();
        for (String r : rolesPath) {
            for (String part : r.split(File.pathSeparator)) {
                if (!part.isBlank()) roles.add(Path.of(part));
            }
        }
        return new PlayOptions(playbooks, inventories, limit, TagFilter.parse(tags), TagFilter.parse(skipTags),
                ExtraVars.parse(extraVars, secrets()), connection, check, diff, forks, verbose.length, startAtTask, step,
                remoteUser, privateKey, timeout, askPass, become, becomeUser, becomeMethod, askBecomePass, roles,
                forceHandlers, flushCache, vault.ids(wiring.env()), vault.ask, listHosts, listTasks, listTags,
                syntaxCheck);
    }

    /** --roles-path, then ANSIBLE_ROLES_PATH (so existing setups keep working), then the project's roles dirs. */
    private List<Path> rolesSearchPath(PlayOptions options) {
        List<Path> out = new ArrayList<>(options.rolesPaths());
        out.addAll(splitEnv("ANSIBLE_ROLES_PATH"));
        out.addAll(wiring.projectRolesDirs());
        return out;
    }

    private List<Path> collectionsPath() {
        List<Path> out = new ArrayList<>(wiring.collectionsPaths());
        out.addAll(splitEnv("ANSIBLE_COLLECTIONS_PATH"));
        out.addAll(splitEnv("ANSIBLE_COLLECTIONS_PATHS"));
        return out;
    }

    private List<Path> splitEnv(String name) {
        String v = wiring.env().get(name);
        List<Path> out = new ArrayList<>();
        if (v == null) return out;
        for (String part : v.split(File.pathSeparator)) {
            if (!part.isBlank()) out.add(Path.of(part.replaceFirst("^~", System.getProperty("user.home"))));
        }
        return out;
    }

    private static UserError badOption(String message) {
        return new UserError(null, message, ExitCode.BAD_OPTIONS, null);
    }
}
