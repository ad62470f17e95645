package dev.drover.yaml;

import dev.drover.error.Position;

/** An inline {@code !vault} value, still encrypted; decrypted by the vault package when a password is known. */
public record VaultText(String ciphertext, Position position) {
    @Override
    public String toString() {
        return "<vault-encrypted value>";
    }
}
