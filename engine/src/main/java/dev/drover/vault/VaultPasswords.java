package dev.drover.vault;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the vault options into secrets the way ansible's CLI does: {@code --vault-id [label@]source} where the
 * source is {@code prompt}, a password file (its content, whitespace stripped) or an executable script (its
 * standard output; a script named {@code *-client*} is also given {@code --vault-id label}, as Ansible's
 * client scripts are); {@code --vault-password-file F} is {@code default@F}; {@code --ask-vault-pass} is
 * {@code default@prompt}; {@code ANSIBLE_VAULT_PASSWORD_FILE} adds {@code default@F}.
 */
public final class VaultPasswords {

    /** Reads a password from the person at the console, without echo. */
    @FunctionalInterface
    public interface Prompter {
        char[] ask(String prompt);
    }

    /** The console, or an error when there is none (a password cannot be asked for in a pipeline). */
    public static final Prompter CONSOLE = prompt -> {
        java.io.Console c = System.console();
        if (c == null) {
            throw new UserError(null, "cannot ask for the vault password: no console (use --vault-password-file)",
                    ExitCode.BAD_OPTIONS, null);
        }
        char[] pw = c.readPassword("%s", prompt);
        if (pw == null) throw new UserError(null, "no vault password was entered", ExitCode.BAD_OPTIONS, null);
        return pw;
    };

    private static final long SCRIPT_TIMEOUT_SECONDS = 60;

    private VaultPasswords() {}

    /**
     * Every {@code label@source} the options name, in Ansible's order: the environment's password file, then
     * {@code --vault-id}s and {@code --vault-password-file}s as given, then the prompt.
     */
    public static List<String> ids(List<String> vaultIds, List<String> passwordFiles, boolean ask, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        String envFile = env.get("ANSIBLE_VAULT_PASSWORD_FILE");
        if (envFile != null && !envFile.isBlank()) out.add(VaultFormat.DEFAULT_ID + "@" + envFile);
        for (String id : vaultIds) out.add(id.contains("@") ? id : VaultFormat.DEFAULT_ID + "@" + id);
        for (String f : passwordFiles) out.add(VaultFormat.DEFAULT_ID + "@" + f);
        if (ask) out.add(VaultFormat.DEFAULT_ID + "@prompt");
        return out;
    }

    /** Reads every secret (asking at most once per prompt id); duplicates of one source are read once. */
    public static List<VaultSecret> read(List<String> ids, Prompter prompter) {
        List<VaultSecret> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String id : ids) {
            if (seen.contains(id)) continue;
            seen.add(id);
            int at = id.indexOf('@');
            String label = id.substring(0, at);
            String source = id.substring(at + 1);
            if (label.isEmpty() || label.contains(";")) {
                throw new UserError(null, "--vault-id '" + id + "': the label must be non-empty and without ';'",
                        ExitCode.BAD_OPTIONS, null);
            }
            out.add(new VaultSecret(label, source.equals("prompt") || source.equals("prompt_ask_vault_pass")
                    ? prompted(label, prompter) : fromFile(label, Path.of(source.replaceFirst("^~",
                            System.getProperty("user.home"))))));
        }
        return out;
    }

    private static byte[] prompted(String label, Prompter prompter) {
        char[] pw = prompter.ask(label.equals(VaultFormat.DEFAULT_ID) ? "Vault password: "
                : "Vault password (" + label + "): ");
        try {
            byte[] b = new String(pw).getBytes(StandardCharsets.UTF_8);
            if (b.length == 0) throw new UserError(null, "an empty vault password was entered", ExitCode.BAD_OPTIONS, null);
            return b;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static byte[] fromFile(String label, Path file) {
        byte[] raw;
        try {
            if (Files.isDirectory(file)) throw bad(file, "is a directory, not a password file");
            raw = Files.isExecutable(file) ? runScript(label, file) : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw bad(file, "was not found");
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e.getMessage());
        }
        byte[] pw = new String(raw, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        Arrays.fill(raw, (byte) 0);
        if (pw.length == 0) throw bad(file, "gave an empty password");
        return pw;
    }

    private static byte[] runScript(String label, Path script) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(script.toAbsolutePath().toString()));
        String stem = script.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        if (stem.endsWith("-client")) cmd.addAll(List.of("--vault-id", label));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw bad(script, "(a password script) did not finish within " + SCRIPT_TIMEOUT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bad(script, "(a password script) was interrupted");
        }
        if (p.exitValue() != 0) throw bad(script, "(a password script) exited with status " + p.exitValue());
        return out;
    }

    private static UserError bad(Path file, String what) {
        return new UserError(null, "vault password file '" + file + "' " + what, ExitCode.BAD_OPTIONS, null);
    }
}
