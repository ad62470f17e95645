package dev.drover.cli;

import dev.drover.vault.Secrets;
import dev.drover.vault.Vault;
import dev.drover.vault.VaultPasswords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The vault options shared by {@code play}, {@code inventory} and {@code vault}, with ansible's names. */
final class VaultOptions {
    @Option(names = "--vault-id", paramLabel = "[LABEL@]SOURCE",
            description = "vault id: a password file, an executable script or 'prompt', optionally labelled (repeatable)")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE",
            description = "vault password file; an executable file is run and its output is the password (repeatable)")
    List<String> passwordFiles = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-password", "--ask-vault-pass"}, description = "ask for the vault password")
    boolean ask;

    /** Every id as {@code label@source}, the environment's password file included. */
    List<String> ids(Map<String, String> env) {
        return VaultPasswords.ids(vaultIds, passwordFiles, ask, env);
    }

    /** Reads the secrets now (running scripts, asking at the console) so a bad source fails before any work. */
    Vault open(Map<String, String> env, VaultPasswords.Prompter prompter) {
        return new Vault(VaultPasswords.read(ids(env), prompter), new Secrets());
    }
}
