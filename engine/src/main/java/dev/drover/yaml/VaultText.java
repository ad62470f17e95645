package dev.drover.yaml;

import dev.drover.error.Position;
import java.nio.charset.StandardCharsets;

/**
 * An inline {@code !vault} value, still encrypted. It is decrypted lazily, when a template or a module uses
 * it ({@link #plaintext()}), with the keys the file was read with; a wrong or missing password is then a
 * positioned error naming the value's line, and values never used never need a password.
 */
public record VaultText(String ciphertext, Position position, VaultKeys keys) {

    /** A value read without vault secrets: using it is an error. */
    public VaultText(String ciphertext, Position position) {
        this(ciphertext, position, VaultKeys.NONE);
    }

    public VaultText {
        if (keys == null) keys = VaultKeys.NONE;
    }

    /** The decrypted text (UTF-8), marked sensitive with the keys that opened it. */
    public String plaintext() {
        String plain = new String(keys.decrypt(ciphertext, position), StandardCharsets.UTF_8);
        keys.sensitive(plain);
        return plain;
    }

    @Override
    public String toString() {
        return "<vault-encrypted value>";
    }
}
