package dev.drover.yaml;

import dev.drover.error.Position;
import dev.drover.error.UserError;

/**
 * Opens vault-encrypted text. The YAML reader only needs this much of the vault (the {@code dev.drover.vault}
 * package implements it), so reading YAML does not depend on how secrets are found or which cipher is used.
 */
public interface VaultKeys {

    /** No secrets were given: every attempt to open vaulted text is a positioned error, as in Ansible. */
    VaultKeys NONE = (envelope, where) -> {
        throw new UserError(where, "Attempting to decrypt but no vault secrets found"
                + " (give --vault-password-file, --vault-id or --ask-vault-pass)");
    };

    /**
     * The plaintext of a {@code $ANSIBLE_VAULT;...} envelope, or a {@link UserError} at {@code where} when it
     * is malformed or no secret opens it. Callers mark what of the plaintext is sensitive ({@link #sensitive}).
     */
    byte[] decrypt(String envelope, Position where);

    /** Marks a decrypted value as sensitive, so output can hide it; by default nothing is kept. */
    default void sensitive(String value) {}

    /** True when {@code text} is a vault envelope (its first line starts with {@code $ANSIBLE_VAULT;}). */
    static boolean isEncrypted(String text) {
        return text != null && text.stripLeading().startsWith("$ANSIBLE_VAULT;");
    }
}
