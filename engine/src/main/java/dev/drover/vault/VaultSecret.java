package dev.drover.vault;

import java.util.Arrays;

/** One vault password and the vault id (label) it was given for; "default" when none was named. */
public record VaultSecret(String id, byte[] password) {
    public VaultSecret {
        password = password.clone();
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaultSecret s && s.id.equals(id) && Arrays.equals(s.password, password);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "VaultSecret[" + id + "]";
    }
}
