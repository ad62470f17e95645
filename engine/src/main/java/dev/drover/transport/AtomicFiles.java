package dev.drover.transport;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Local file replacement that readers never see half-done: a temp file beside the target, then rename. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code content} to {@code target}; {@code perms} null keeps the temp file's default mode. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".drover-tmp");
        try {
            Files.write(tmp, content);
            if (perms != null) Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
