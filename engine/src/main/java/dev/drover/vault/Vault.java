package dev.drover.vault;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.yaml.VaultKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vault secrets of one command, as Ansible's VaultLib uses them: a vault whose header names an id is
 * tried with that id's secret first, then with every other secret (Ansible's default, vault_id_match off).
 * What callers mark {@link #sensitive} is registered in {@link #secrets()} so output can be redacted.
 */
public final class Vault implements VaultKeys {
    private final List<VaultSecret> keys;
    private final Secrets secrets;
    /**
     * Opened envelopes: key derivation (PBKDF2, 10000 rounds) costs about 35 ms, and an inline value is opened
     * each time a task on a host uses it. The plaintexts are held in memory for the run either way.
     */
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    /** A vault's plaintext and the secret that opened it ({@code vault edit} re-encrypts with that secret). */
    public record Opened(byte[] plaintext, VaultSecret key) {}

    public Vault(List<VaultSecret> keys, Secrets secrets) {
        this.keys = List.copyOf(keys);
        this.secrets = secrets;
    }

    /** A vault with no secrets: opening anything is an error, but output is still redacted through it. */
    public static Vault empty() {
        return new Vault(List.of(), new Secrets());
    }

    public Secrets secrets() {
        return secrets;
    }

    public List<VaultSecret> keys() {
        return keys;
    }

    @Override
    public byte[] decrypt(String envelope, Position where) {
        return open(envelope, where).plaintext();
    }

    /** Like {@link #decrypt}, also saying which secret opened the vault. */
    public Opened open(String envelope, Position where) {
        if (keys.isEmpty()) return new Opened(VaultKeys.NONE.decrypt(envelope, where), null);
        Opened known = opened.get(envelope);
        if (known != null) return new Opened(known.plaintext().clone(), known.key());
        VaultFormat.Envelope env;
        try {
            env = VaultFormat.parse(envelope);
        } catch (VaultFormat.MalformedVaultException e) {
            throw new UserError(where, e.getMessage());
        }
        for (VaultSecret k : ordered(env.vaultId())) {
            byte[] plain = VaultFormat.decrypt(env, k.password());
            if (plain != null) {
                opened.put(envelope, new Opened(plain.clone(), k));
                return new Opened(plain, k);
            }
        }
        throw new UserError(where, "Decryption failed (no vault secrets were found that could decrypt"
                + (env.vaultId() == null ? "" : " vault id '" + env.vaultId() + "'") + "; tried "
                + String.join(", ", keys.stream().map(VaultSecret::id).toList()) + ")");
    }

    @Override
    public void sensitive(String value) {
        secrets.add(value);
    }

    /** The secret to encrypt with: the one for {@code id} when given, else the only (or first) one. */
    public VaultSecret encryptionKey(String id) {
        if (keys.isEmpty()) {
            throw new UserError(null, "no vault secret to encrypt with: give --vault-password-file, --vault-id"
                    + " or --ask-vault-pass", dev.drover.error.ExitCode.BAD_OPTIONS, null);
        }
        if (id == null) return keys.get(0);
        for (VaultSecret k : keys) {
            if (k.id().equals(id)) return k;
        }
        throw new UserError(null, "--encrypt-vault-id '" + id + "': no vault secret was given with that id"
                + " (ids: " + String.join(", ", keys.stream().map(VaultSecret::id).toList()) + ")",
                dev.drover.error.ExitCode.BAD_OPTIONS, null);
    }

    private List<VaultSecret> ordered(String id) {
        List<VaultSecret> out = new ArrayList<>();
        for (VaultSecret k : keys) {
            if (k.id().equals(id)) out.add(k);
        }
        for (VaultSecret k : keys) {
            if (!k.id().equals(id)) out.add(k);
        }
        return out;
    }
}
