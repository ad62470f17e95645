package dev.drover.host;

import dev.drover.transport.ExecResult;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * The primitives modules use on a host. Two implementations: through the host agent (one SSH channel,
 * framed requests) and agentless (plain exec channels). Modules see no difference; the module
 * test suite runs both ways. Every write is atomic (temp file beside the target + rename).
 *
 * <p>Paths are absolute host paths. Methods throw {@link dev.drover.transport.TransportException} when
 * the host cannot be reached, and {@link IOException} for other failures with a message fit for a user.
 */
public interface HostOps extends Closeable {

    /** Runs a command (argv or shell line, env, chdir, stdin, timeout). */
    ExecResult exec(ExecSpec spec) throws IOException;

    /** Information about a path; {@code exists() == false} when it is missing. Never throws for a missing path. */
    FileStat stat(String path, boolean checksum, boolean follow) throws IOException;

    /**
     * Atomically writes a file with the attributes (unspecified ones carried over from a regular file it replaces);
     * returns the written file's stat (without checksum), so callers need not ask again.
     */
    FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException;

    byte[] readFile(String path) throws IOException;

    /**
     * Like {@code mkdir -p}; the attributes apply to the last directory and to every directory this creates on the
     * way (as Ansible's file and copy do); returns the last one's stat (following links).
     */
    FileStat mkdirs(String path, FileAttrs attrs) throws IOException;

    /** chmod/chown/chgrp for the non-null fields; returns true if anything changed. */
    boolean setAttrs(String path, FileAttrs attrs) throws IOException;

    void symlink(String target, String link) throws IOException;

    /** Removes a file, link or (with recursive) a directory tree; returns false when it did not exist. */
    boolean remove(String path, boolean recursive) throws IOException;

    /** Basic facts: the Ansible {@code setup} module's keys without the {@code ansible_} prefix. */
    Map<String, Object> facts() throws IOException;

    /** A short name for reports: "agent" or "agentless". */
    String mode();

    @Override
    void close() throws IOException;
}
