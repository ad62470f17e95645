package dev.drover.cli;

import dev.drover.error.ExitCode;
import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.transport.AtomicFiles;
import dev.drover.vault.Vault;
import dev.drover.vault.VaultEditor;
import dev.drover.vault.VaultFormat;
import dev.drover.vault.VaultPasswords;
import dev.drover.vault.VaultSecret;
import dev.drover.yaml.VaultKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover vault}: ansible-vault's create, edit, encrypt, decrypt, view, encrypt_string and rekey, with its flags and
 * its file format, so files move between the two tools either way. Files are rewritten in place atomically
 * (a temp file beside the original, then rename), keeping their permissions.
 */
@Command(name = "vault", mixinStandardHelpOptions = true,
        description = "Encrypts and decrypts files and values in ansible-vault's format.",
        subcommands = {VaultCommand.Create.class, VaultCommand.Edit.class, VaultCommand.Encrypt.class,
                VaultCommand.Decrypt.class, VaultCommand.View.class, VaultCommand.EncryptString.class,
                VaultCommand.Rekey.class},
        footer = {"", "Examples:",
                "  drover vault create --vault-id prod@~/.prod_pass group_vars/db/vault.yml",
                "  EDITOR='code -w' drover vault edit --vault-id prod@~/.prod_pass vault.yml",
                "  drover vault encrypt --vault-password-file ~/.vault_pass group_vars/all/vault.yml",
                "  drover vault encrypt_string --vault-id prod@prompt --name db_password 's3cret'",
                "  drover vault view --vault-id prod@~/.prod_pass host_vars/db01.yml"})
public final class VaultCommand implements Runnable {
    private final Map<String, String> env;
    private final VaultPasswords.Prompter prompter;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    public VaultCommand() {
        this(System.getenv(), VaultPasswords.CONSOLE, System.in);
    }

    /** For tests and embedding: the environment, the password prompt and standard input to use. */
    public VaultCommand(Map<String, String> env, VaultPasswords.Prompter prompter, InputStream stdin) {
        this.env = env;
        this.prompter = prompter;
        this.stdin = stdin;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every subcommand shares: the vault options, output, and reading or writing one file or stdio. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        VaultCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        VaultOptions vault = new VaultOptions();

        Vault open() {
            Vault v = vault.open(parent.env, parent.prompter);
            if (v.keys().isEmpty()) {
                throw new UserError(null, "a vault password is needed: give --vault-password-file, --vault-id or"
                        + " --ask-vault-pass (or set ANSIBLE_VAULT_PASSWORD_FILE)", ExitCode.BAD_OPTIONS, null);
            }
            return v;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void say(String message) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(message);
            err.flush();
        }

        byte[] read(String file) {
            try {
                if (file.equals("-")) return parent.stdin.readAllBytes();
                return Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                throw new UserError(null, "file '" + file + "' not found", ExitCode.BAD_OPTIONS, null);
            } catch (IOException e) {
                throw new UserError(Position.file(Path.of(file)), "cannot read: " + e.getMessage());
            }
        }

        /** Writes to {@code target} ("-" for stdout) atomically, keeping the mode of the file it replaces. */
        void write(String target, byte[] content) {
            if (target.equals("-")) {
                out().print(new String(content, StandardCharsets.UTF_8));
                out().flush();
                return;
            }
            Path p = Path.of(target);
            try {
                Set<PosixFilePermission> perms = Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                        ? Files.getPosixFilePermissions(p) : Set.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE);
                AtomicFiles.write(p, content, perms);
            } catch (IOException e) {
                throw new UserError(Position.file(p), "cannot write: " + e.getMessage());
            }
        }

        static String text(byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a vaulted file with $EDITOR (else vi).",
                    "The editor gets an empty private temporary file; what is saved there is encrypted when the"
                    + " editor exits 0. An existing FILE is refused (use edit); an editor exiting non-zero writes"
                    + " nothing."})
    static final class Create extends Base {
        @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "the vault id to encrypt with")
        String encryptId;

        @Option(names = "--skip-tty-check", description = "accepted for ansible-vault compatibility; Drover opens"
                + " the editor without a terminal too")
        boolean skipTtyCheck;

        @Parameters(paramLabel = "FILE", arity = "1", description = "the file to create")
        String file;

        @Override
        public Integer call() {
            Path p = Path.of(file);
            refuseExisting(p);
            Vault v = open();
            VaultSecret k = v.encryptionKey(encryptId);
            byte[] plain = VaultEditor.fromEnv(parent.env).edit(new byte[0], p.getFileName().toString());
            try {
                // as ansible-vault does, an empty result is still written: an empty vault to edit later
                byte[] vaulted = VaultFormat.encrypt(plain, k.password(), k.id()).getBytes(StandardCharsets.US_ASCII);
                refuseExisting(p); // the editor may have been open for a while
                Path dir = p.toAbsolutePath().getParent();
                if (!Files.isDirectory(dir)) {
                    say("WARNING: " + dir + " does not exist, creating it");
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new UserError(Position.file(dir), "cannot create the directory: " + e.getMessage());
                    }
                }
                write(p.toAbsolutePath().toString(), vaulted); // a file named "-" is a file here, not stdout
                say(plain.length == 0 ? "Created " + file + " (an empty vault: nothing was entered)" : "Created " + file);
                return ExitCode.OK.code();
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }

        private void refuseExisting(Path p) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError(null, file + " exists, please use 'edit' instead", ExitCode.BAD_OPTIONS, null);
            }
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = {"Edits vaulted files with $EDITOR (else vi).",
                    "Each is decrypted to a private temporary file and re-encrypted with the same vault id and"
                    + " password if the content changed. Unchanged content or an editor exiting non-zero leaves"
                    + " the file untouched."})
    static final class Edit extends Base {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "vaulted files, rewritten in place")
        List<String> files = new ArrayList<>();

        @Override
        public Integer call() {
            Vault v = open();
            VaultEditor editor = VaultEditor.fromEnv(parent.env);
            for (String f : files) edit(v, editor, f);
            return ExitCode.OK.code();
        }

        private void edit(Vault v, VaultEditor editor, String f) {
            Path real;
            try {
                real = Path.of(f).toRealPath(); // a symlink's target is rewritten, as ansible-vault does
            } catch (NoSuchFileException e) {
                throw new UserError(null, "file '" + f + "' not found", ExitCode.BAD_OPTIONS, null);
            } catch (IOException e) {
                throw new UserError(Position.file(Path.of(f)), "cannot read: " + e.getMessage());
            }
            String text = text(read(real.toString()));
            Position where = Position.file(Path.of(f));
            if (!VaultKeys.isEncrypted(text)) throw new UserError(where, "input is not vault encrypted data");
            Vault.Opened opened = v.open(text, where);
            byte[] before = opened.plaintext();
            byte[] after = editor.edit(before, real.getFileName().toString());
            try {
                if (Arrays.equals(before, after)) {
                    say(f + ": unchanged");
                    return;
                }
                // the header's id (1.1 stays 1.1) and the secret that opened it, as ansible-vault keeps them
                write(real.toString(), VaultFormat.encrypt(after, opened.key().password(), VaultFormat.vaultIdOf(text))
                        .getBytes(StandardCharsets.US_ASCII));
                say(f + ": saved");
            } finally {
                Arrays.fill(before, (byte) 0);
                Arrays.fill(after, (byte) 0);
            }
        }
    }

    /** Shared by encrypt and decrypt: files in place, or one file (or stdin) to {@code --output}. */
    abstract static class FileTransform extends Base {
        @Option(names = "--output", paramLabel = "FILE", description = "write here instead of in place ('-' for stdout)")
        String output;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "files (none or '-': standard input)")
        List<String> files = new ArrayList<>();

        abstract byte[] transform(Vault v, String file, byte[] content);

        abstract String done();

        @Override
        public Integer call() {
            Vault v = open();
            List<String> inputs = files.isEmpty() ? List.of("-") : files;
            if (output != null && inputs.size() > 1) {
                throw new UserError(null, "--output: expected one input file, found " + inputs.size(),
                        ExitCode.BAD_OPTIONS, null);
            }
            List<byte[]> results = new ArrayList<>();
            for (String f : inputs) results.add(transform(v, f, read(f))); // all or nothing: check every file first
            for (int i = 0; i < inputs.size(); i++) {
                String target = output != null ? output : inputs.get(i);
                write(target, results.get(i));
            }
            say(done());
            return ExitCode.OK.code();
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true, description = "Encrypts files in place (or to --output).")
    static final class Encrypt extends FileTransform {
        @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "the vault id to encrypt with")
        String encryptId;

        @Override
        byte[] transform(Vault v, String file, byte[] content) {
            if (VaultKeys.isEncrypted(text(content))) {
                throw new UserError(null, "input is already encrypted: " + file, ExitCode.BAD_INPUT, null);
            }
            VaultSecret k = v.encryptionKey(encryptId);
            return VaultFormat.encrypt(content, k.password(), k.id()).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        String done() {
            return "Encryption successful";
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Decrypts files in place (or to --output).")
    static final class Decrypt extends FileTransform {
        @Override
        byte[] transform(Vault v, String file, byte[] content) {
            return decrypted(v, file, content);
        }

        @Override
        String done() {
            return "Decryption successful";
        }
    }

    static byte[] decrypted(Vault v, String file, byte[] content) {
        String text = Base.text(content);
        Position where = file.equals("-") ? new Position("<stdin>", 0, 0) : Position.file(Path.of(file));
        if (!VaultKeys.isEncrypted(text)) throw new UserError(where, "input is not vault encrypted data");
        return v.decrypt(text, where);
    }

    @Command(name = "view", mixinStandardHelpOptions = true, description = "Shows the plaintext of vaulted files.")
    static final class View extends Base {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "files ('-': standard input)")
        List<String> files = new ArrayList<>();

        @Override
        public Integer call() {
            Vault v = open();
            for (String f : files) out().print(text(decrypted(v, f, read(f))));
            out().flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "encrypt_string", aliases = "encrypt-string", mixinStandardHelpOptions = true,
            description = "Encrypts values for use as inline !vault variables in YAML.")
    static final class EncryptString extends Base {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "variable name for each value, in order")
        List<String> names = new ArrayList<>();

        @Option(names = "--stdin-name", paramLabel = "NAME", description = "read the value from stdin and name it")
        String stdinName;

        @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "the vault id to encrypt with")
        String encryptId;

        @Option(names = "--output", paramLabel = "FILE", description = "write here instead of stdout")
        String output;

        @Parameters(paramLabel = "STRING", arity = "0..*", description = "values (none or '-': standard input)")
        List<String> values = new ArrayList<>();

        @Override
        public Integer call() {
            Vault v = open();
            VaultSecret k = v.encryptionKey(encryptId);
            List<String> plain = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            if (stdinName != null || values.isEmpty() || values.equals(List.of("-"))) {
                if (stdinName == null && values.isEmpty()) say("Reading plaintext input from stdin. (ctrl-d to end input)");
                plain.add(text(read("-")));
                labels.add(stdinName != null ? stdinName : names.isEmpty() ? null : names.get(0));
            }
            for (String s : values) {
                if (s.equals("-")) continue;
                plain.add(s);
                labels.add(labels.size() < names.size() ? names.get(labels.size()) : null);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < plain.size(); i++) {
                if (i > 0) sb.append('\n');
                sb.append(yaml(labels.get(i), VaultFormat.encrypt(plain.get(i).getBytes(StandardCharsets.UTF_8),
                        k.password(), k.id())));
            }
            write(output == null ? "-" : output, sb.toString().getBytes(StandardCharsets.UTF_8));
            say("Encryption successful");
            return ExitCode.OK.code();
        }

        /** ansible-vault's layout: {@code name: !vault |} then the envelope indented by 10 spaces. */
        static String yaml(String name, String envelope) {
            StringBuilder sb = new StringBuilder(name == null ? "" : name + ": ").append("!vault |\n");
            for (String line : envelope.split("\n")) sb.append(" ".repeat(10)).append(line).append('\n');
            return sb.toString();
        }
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true, description = "Re-encrypts vaulted files with a new password.")
    static final class Rekey extends Base {
        @Option(names = "--new-vault-password-file", paramLabel = "FILE", description = "the new password file")
        String newFile;

        @Option(names = "--new-vault-id", paramLabel = "[LABEL@]SOURCE", description = "the new vault id")
        String newId;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "vaulted files, rewritten in place")
        List<String> files = new ArrayList<>();

        @Override
        public Integer call() {
            Vault v = open();
            List<String> ids = VaultPasswords.ids(newId == null ? List.of() : List.of(newId),
                    newFile == null ? List.of() : List.of(newFile), newId == null && newFile == null, Map.of());
            VaultSecret k = VaultPasswords.read(ids, parent.prompter).get(0);
            List<byte[]> results = new ArrayList<>();
            for (String f : files) {
                results.add(VaultFormat.encrypt(decrypted(v, f, read(f)), k.password(), k.id())
                        .getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < files.size(); i++) write(files.get(i), results.get(i));
            say("Rekey successful");
            return ExitCode.OK.code();
        }
    }
}
