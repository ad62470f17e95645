package dev.drover.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ansible-vault's {@code AES256} format, byte for byte (ansible/parsing/vault/__init__.py, VaultAES256):
 * PBKDF2-HMAC-SHA256 with 10000 iterations over a 32-byte random salt derives 80 bytes: the AES-256 key, the
 * HMAC-SHA256 key and the 16-byte CTR counter. The plaintext is PKCS#7-padded (Ansible pads even in CTR mode),
 * encrypted with AES-256-CTR and authenticated with HMAC-SHA256 over the ciphertext. The body is
 * {@code hex(salt) \n hex(hmac) \n hex(ciphertext)}, hexlified once more and cut into 80-column lines under
 * the header {@code $ANSIBLE_VAULT;1.1;AES256} (or {@code ;1.2;AES256;<vault-id>} when the id is not
 * "default"). Only JDK crypto is used.
 */
public final class VaultFormat {
    public static final String DEFAULT_ID = "default";
    private static final String MAGIC = "$ANSIBLE_VAULT";
    private static final int ITERATIONS = 10_000;
    private static final int SALT_BYTES = 32;
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final int LINE = 80;
    private static final HexFormat HEX = HexFormat.of();

    private VaultFormat() {}

    /** A parsed envelope: its header fields and the three binary parts of the body. */
    public record Envelope(String version, String cipher, String vaultId, byte[] salt, byte[] hmac, byte[] ciphertext) {}

    /** The vault id named in a 1.2 header, or null (1.1 headers and text that is not a vault). */
    public static String vaultIdOf(String text) {
        try {
            return parse(text).vaultId();
        } catch (MalformedVaultException e) {
            return null;
        }
    }

    /** Thrown for text that looks like a vault but cannot be read as one; the message says what is wrong. */
    public static final class MalformedVaultException extends Exception {
        MalformedVaultException(String message) {
            super(message);
        }
    }

    public static Envelope parse(String text) throws MalformedVaultException {
        List<String> lines = new ArrayList<>();
        for (String l : text.strip().split("\r?\n")) lines.add(l.strip());
        String[] header = lines.get(0).split(";");
        if (!header[0].equals(MAGIC) || header.length < 3) {
            throw new MalformedVaultException("not a vault: the first line must be '$ANSIBLE_VAULT;1.1;AES256'");
        }
        String version = header[1].strip();
        String cipher = header[2].strip();
        if (!version.equals("1.1") && !version.equals("1.2")) {
            throw new MalformedVaultException("unsupported vault format version '" + version + "' (expected 1.1 or 1.2)");
        }
        if (!cipher.equals("AES256")) {
            throw new MalformedVaultException("unsupported vault cipher '" + cipher + "' (expected AES256)");
        }
        String id = version.equals("1.2") && header.length >= 4 ? header[3].strip() : null;
        String body = String.join("", lines.subList(1, lines.size()));
        try {
            String[] parts = new String(HEX.parseHex(body), StandardCharsets.US_ASCII).split("\n", -1);
            if (parts.length != 3) throw new IllegalArgumentException("expected 3 parts");
            return new Envelope(version, cipher, id, HEX.parseHex(parts[0]), HEX.parseHex(parts[1]),
                    HEX.parseHex(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new MalformedVaultException("malformed vault body: the lines after the header must be"
                    + " hexadecimal salt, HMAC and ciphertext");
        }
    }

    /** Encrypts with a fresh random salt. {@code vaultId} null or "default" writes a 1.1 header. */
    public static String encrypt(byte[] plaintext, byte[] password, String vaultId) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return encrypt(plaintext, password, vaultId, salt);
    }

    static String encrypt(byte[] plaintext, byte[] password, String vaultId, byte[] salt) {
        Keys k = derive(password, salt);
        byte[] ciphertext = ctr(Cipher.ENCRYPT_MODE, k, pad(plaintext));
        byte[] hmac = hmac(k, ciphertext);
        String inner = HEX.formatHex(salt) + "\n" + HEX.formatHex(hmac) + "\n" + HEX.formatHex(ciphertext);
        String outer = HEX.formatHex(inner.getBytes(StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder();
        boolean labelled = vaultId != null && !vaultId.equals(DEFAULT_ID);
        sb.append(MAGIC).append(labelled ? ";1.2;AES256;" + vaultId : ";1.1;AES256").append('\n');
        for (int i = 0; i < outer.length(); i += LINE) {
            sb.append(outer, i, Math.min(outer.length(), i + LINE)).append('\n');
        }
        return sb.toString();
    }

    /** The plaintext, or null when the HMAC does not match (wrong password or tampered text). */
    public static byte[] decrypt(Envelope env, byte[] password) {
        Keys k = derive(password, env.salt());
        // constant time: a timing difference must not tell how much of the HMAC was right
        if (!MessageDigest.isEqual(hmac(k, env.ciphertext()), env.hmac())) return null;
        byte[] padded = ctr(Cipher.DECRYPT_MODE, k, env.ciphertext());
        return unpad(padded);
    }

    private record Keys(byte[] cipherKey, byte[] hmacKey, byte[] iv) {}

    private static Keys derive(byte[] password, byte[] salt) {
        // PBEKeySpec takes chars; PBKDF2WithHmacSHA256 turns them back into bytes as UTF-8, so decoding the
        // password as UTF-8 gives Ansible's key for every valid UTF-8 password.
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, ITERATIONS, (2 * KEY_BYTES + IV_BYTES) * 8);
        try {
            byte[] d = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new Keys(Arrays.copyOfRange(d, 0, KEY_BYTES), Arrays.copyOfRange(d, KEY_BYTES, 2 * KEY_BYTES),
                    Arrays.copyOfRange(d, 2 * KEY_BYTES, 2 * KEY_BYTES + IV_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] ctr(int mode, Keys k, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(mode, new SecretKeySpec(k.cipherKey(), "AES"), new IvParameterSpec(k.iv()));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/CTR", e);
        }
    }

    private static byte[] hmac(Keys k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k.hmacKey(), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static byte[] pad(byte[] data) {
        int n = 16 - data.length % 16;
        byte[] out = Arrays.copyOf(data, data.length + n);
        Arrays.fill(out, data.length, out.length, (byte) n);
        return out;
    }

    private static byte[] unpad(byte[] data) {
        if (data.length == 0) return data;
        int n = data[data.length - 1] & 0xff;
        if (n < 1 || n > 16 || n > data.length) return data; // not padded as Ansible pads: keep every byte
        return Arrays.copyOf(data, data.length - n);
    }
}
