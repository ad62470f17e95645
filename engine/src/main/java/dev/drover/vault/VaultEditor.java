package dev.drover.vault;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import dev.drover.text.Shlex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets a person edit a vault's plaintext in their editor, as {@code ansible-vault create/edit} do: the plaintext
 * goes to a file in a fresh directory only the user can enter (0700, the file 0600), the editor ({@code
 * $EDITOR}, split like a shell would, else {@code vi}) is run on it, and the result is read back. Whatever
 * happens, every file in that directory (the editor's swap and backup files too) is overwritten with zeros and
 * removed before {@link #edit} returns, and on JVM shutdown while the editor runs (Ctrl-C).
 */
public final class VaultEditor {
    private final List<String> command;
    private final Path tmpBase;

    /** {@code command}: the editor and its arguments, the file's path is appended; {@code tmpBase}: where the private directory goes. */
    public VaultEditor(List<String> command, Path tmpBase) {
        if (command.isEmpty()) throw new IllegalArgumentException("no editor command");
        this.command = List.copyOf(command);
        this.tmpBase = tmpBase;
    }

    /** The editor of {@code EDITOR} (default {@code vi}) in {@code TMPDIR} (default java.io.tmpdir). */
    public static VaultEditor fromEnv(Map<String, String> env) {
        String editor = env.getOrDefault("EDITOR", "");
        List<String> cmd = shellWords(editor);
        String tmp = env.get("TMPDIR");
        return new VaultEditor(cmd.isEmpty() ? List.of("vi") : cmd,
                Path.of(tmp == null || tmp.isBlank() ? System.getProperty("java.io.tmpdir") : tmp));
    }

    /**
     * Opens {@code initial} in the editor as a file named {@code name} (its extension lets the editor pick the
     * syntax) and returns the content once the editor exits 0. An editor that cannot start or exits otherwise
     * is a {@link UserError}; the caller then writes nothing.
     */
    public byte[] edit(byte[] initial, String name) {
        Path dir;
        try {
            dir = Files.createTempDirectory(tmpBase, "drover-vault-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UserError(null, "cannot create a private temporary directory in " + tmpBase + ": "
                    + e.getMessage() + " (set TMPDIR to another directory)", ExitCode.BAD_OPTIONS, null);
        }
        Thread shred = new Thread(() -> shredDir(dir), "drover-vault-shred");
        Runtime.getRuntime().addShutdownHook(shred);
        try {
            Path file = dir.resolve(name);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, initial);
            run(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(null, "cannot read or write the temporary file in " + dir + ": " + e.getMessage(),
                    ExitCode.BAD_OPTIONS, null);
        } finally {
            shredDir(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(shred);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    private void run(Path file) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(file.toString());
        Process p;
        try {
            // the editor needs the terminal: standard input, output and error are the user's
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            throw new UserError(null, "cannot start the editor '" + String.join(" ", command) + "': "
                    + e.getMessage() + " (set EDITOR)", ExitCode.BAD_OPTIONS, null);
        }
        int status;
        // Ctrl-C is the editor's (vi cancels a command with it); Drover stopping would leave the editor on the
        // terminal with its file shredded. Ignored only after the start: an ignored signal is inherited.
        SignalHandler previous = ignoreInterrupts();
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new UserError(null, "interrupted while the editor ran; nothing was written",
                    ExitCode.INTERRUPTED, null);
        } finally {
            if (previous != null) Signal.handle(new Signal("INT"), previous);
        }
        if (status != 0) {
            throw new UserError(null, "the editor '" + String.join(" ", command) + "' exited with status " + status
                    + "; nothing was written", ExitCode.FAILED, null);
        }
    }

    private static SignalHandler ignoreInterrupts() {
        try {
            return Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException unavailable) {
            return null; // the JVM reserves it (-Xrs): the default behaviour stays
        }
    }

    /** Overwrites every regular file under {@code dir} with zeros, then removes them and it; never follows links. */
    static void shredDir(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) zero(f, attrs.size());
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // say where plaintext may remain, never what it is
            System.err.println("WARNING: could not remove the temporary plaintext in " + dir + ": " + e.getMessage());
        }
    }

    private static void zero(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(8192);
            for (long at = 0; at < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                at += ch.write(zeros, at);
            }
            ch.force(true);
        }
    }

    /** {@code EDITOR} split as ansible-vault splits it (Python's {@code shlex.split}). */
    static List<String> shellWords(String line) {
        try {
            return Shlex.split(line);
        } catch (IllegalArgumentException e) {
            throw unterminated(line);
        }
    }

    private static UserError unterminated(String line) {
        return new UserError(null, "EDITOR: unterminated quote or trailing backslash in '" + line + "'",
                ExitCode.BAD_OPTIONS, null);
    }
}
