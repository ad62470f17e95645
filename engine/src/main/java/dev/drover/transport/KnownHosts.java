package dev.drover.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One OpenSSH known_hosts file: plain, hashed ({@code |1|salt|hash}) and {@code [host]:port} entries,
 * {@code @revoked} markers. Lookups re-read the file so keys added by another tool during the run count.
 */
final class KnownHosts {
    enum Verdict { MATCH, UNKNOWN, CHANGED, REVOKED }

    /** The answer for one host key; {@code knownTypes} lists key types on file for the host when not MATCH. */
    record Check(Verdict verdict, Set<String> knownTypes) {}

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Key types on file for the host (revoked and CA entries aside). */
    Set<String> knownTypes(String host, int port) throws IOException {
        Set<String> types = new TreeSet<>();
        if (!Files.isRegularFile(file)) return types;
        for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
            if (e.getMarker() == null && e.getKeyEntry() != null && e.isHostMatch(host, port)) types.add(e.getKeyEntry().getKeyType());
        }
        return types;
    }

    Check check(String host, int port, PublicKey key) throws IOException {
        List<KnownHostEntry> entries = Files.isRegularFile(file) ? KnownHostEntry.readKnownHostEntries(file) : List.of();
        String type = KeyUtils.getKeyType(key);
        Set<String> types = new TreeSet<>();
        boolean sameTypeMismatch = false;
        boolean match = false;
        for (KnownHostEntry e : entries) {
            if (!e.isHostMatch(host, port)) continue;
            AuthorizedKeyEntry ke = e.getKeyEntry();
            if (ke == null) continue;
            PublicKey known;
            try {
                known = ke.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            } catch (Exception ex) {
                continue; // an entry of a type we cannot decode cannot match either
            }
            if (known == null) continue;
            boolean equal = KeyUtils.compareKeys(known, key);
            if ("revoked".equalsIgnoreCase(e.getMarker())) {
                if (equal) return new Check(Verdict.REVOKED, types);
                continue;
            }
            if (e.getMarker() != null) continue; // @cert-authority: certificates are not supported
            types.add(ke.getKeyType());
            if (equal) match = true;
            else if (type.equals(ke.getKeyType())) sameTypeMismatch = true;
        }
        if (match) return new Check(Verdict.MATCH, types);
        // A key of the same type on file that differs is what OpenSSH calls "REMOTE HOST IDENTIFICATION HAS
        // CHANGED". Keys of other types only: also refused, since adding a second identity silently is how
        // a man-in-the-middle would get in.
        if (sameTypeMismatch || !types.isEmpty()) return new Check(Verdict.CHANGED, types);
        return new Check(Verdict.UNKNOWN, types);
    }

    /**
     * Appends an entry: the whole file is rewritten to a temp file beside it and renamed over it, so a crash
     * or a concurrent reader never sees a half-written line. Callers serialise on this object.
     */
    synchronized void add(String host, int port, PublicKey key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        byte[] old = Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
        StringBuilder line = new StringBuilder();
        if (old.length > 0 && old[old.length - 1] != '\n') line.append('\n');
        line.append(KnownHostHashValue.createHostPattern(host, port)).append(' ').append(PublicKeyEntry.toString(key)).append('\n');
        byte[] add = line.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[old.length + add.length];
        System.arraycopy(old, 0, all, 0, old.length);
        System.arraycopy(add, 0, all, old.length, add.length);
        Set<PosixFilePermission> perms;
        try {
            perms = Files.isRegularFile(file) ? Files.getPosixFilePermissions(file) : PosixFilePermissions.fromString("rw-r--r--");
        } catch (UnsupportedOperationException e) {
            perms = null; // not a POSIX file system
        }
        AtomicFiles.write(file, all, perms);
    }
}
