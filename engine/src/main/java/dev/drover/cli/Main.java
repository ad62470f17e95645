package dev.drover.cli;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code drover}: the command line. User errors print one positioned line; stack traces only with -vvv. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs Ansible-style playbooks over SSH, built for PostgreSQL fleet upgrades.")
public final class Main implements Runnable {
    /** The subcommands, by name, in the order the usage lists them. */
    private static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, Class<?>> subcommands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("help", CommandLine.HelpCommand.class);
        m.put("inventory", InventoryCommand.class);
        m.put("play", PlayCommand.class);
        m.put("runs", RunsCommand.class);
        m.put("recover", RecoverCommand.class);
        m.put("vault", VaultCommand.class);
        m.put("generate-completion", picocli.AutoComplete.GenerateCompletion.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    public static void main(String[] args) {
        // the SSH stack's first-use cost is paid on the other core while the playbook is read (SshWarmUp)
        if (dev.drover.transport.SshWarmUp.worthIt(args)) dev.drover.transport.SshWarmUp.startInBackground();
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cmd = commandLine(args);
        return cmd.execute(args);
    }

    /** Runs the CLI with its output and errors going to the given writers (tests, embedding). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cmd = commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    /**
     * Like {@link #run(PrintWriter, PrintWriter, String...)} with {@code drover vault} reading {@code env} instead
     * of the process environment (EDITOR, TMPDIR, ANSIBLE_VAULT_PASSWORD_FILE): tests, embedding.
     */
    public static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> env, String... args) {
        CommandLine cmd = commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == VaultCommand.class) {
                    return cls.cast(new VaultCommand(env, dev.drover.vault.VaultPasswords.CONSOLE, System.in));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        }, args);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    static CommandLine commandLine(String... args) {
        return commandLine(CommandLine.defaultFactory(), args);
    }

    /**
     * The command line for these arguments. Building picocli's model of every subcommand costs about 0.1 s of
     * start-up (picocli's classes cannot go into the class-data-sharing archive), so when the first word names a
     * subcommand only that one is registered; help, usage errors and everything else get all of them.
     */
    private static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
        CommandLine cmd = new CommandLine(new Main(), factory);
        String first = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            cmd.addSubcommand(SUBCOMMANDS.get(first));
        } else {
            for (Class<?> c : SUBCOMMANDS.values()) cmd.addSubcommand(c);
        }
        // "-e @vars.yml" is Ansible's extra-vars file, not a picocli argument file to splice into the command line
        cmd.setExpandAtFiles(false);
        cmd.setExecutionExceptionHandler(Main::handleError);
        cmd.setParameterExceptionHandler((ex, given) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("ERROR: " + oneLine(ex.getMessage()));
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.BAD_OPTIONS.code();
        });
        return cmd;
    }

    static int handleError(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof UserError ue) {
            err.println("ERROR: " + oneLine(ue.render()));
            if (Verbosity.of(parsed) >= 3) ex.printStackTrace(err);
            return ue.exitCode().code();
        }
        err.println("ERROR: internal error: " + oneLine(String.valueOf(ex)));
        err.println("This is a bug in Drover. Run again with -vvv for the stack trace and report it.");
        if (Verbosity.of(parsed) >= 3) ex.printStackTrace(err);
        return ExitCode.INTERNAL_ERROR.code();
    }

    /**
     * The error stays one line whatever the input held: line breaks and other control characters quoted from a
     * broken or binary file are shown escaped (a terminal would otherwise act on them).
     */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The version comes from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"drover " + (v == null ? "dev" : v)};
        }
    }

    /** Counts -v flags on whichever subcommand was parsed. */
    static final class Verbosity {
        static int of(CommandLine.ParseResult parsed) {
            int n = 0;
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (p.hasMatchedOption("-v")) {
                    Object v = p.matchedOptionValue("-v", null);
                    if (v instanceof boolean[] flags) n = Math.max(n, flags.length);
                }
            }
            return n;
        }
    }
}
