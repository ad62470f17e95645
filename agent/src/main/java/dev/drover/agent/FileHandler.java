package dev.drover.agent;

import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.FrameIO;
import dev.drover.agent.protocol.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** File requests. Every failure becomes a message naming the path and what went wrong. */
final class FileHandler {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    /** Temp names only need to be unlikely to collide: CREATE_NEW (O_EXCL) refuses an existing name or link. */
    private static String tempSuffix() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".drover-tmp";
    }

    Map<String, Object> stat(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        boolean follow = Payload.bool(p, "follow", false);
        boolean checksum = Payload.bool(p, "checksum", false);
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            if (!Files.exists(path, follow ? FOLLOW : NOFOLLOW)) {
                r.put("exists", false);
                return r;
            }
            Map<String, Object> a = Files.readAttributes(path, "unix:*", follow ? FOLLOW : NOFOLLOW);
            String type = Boolean.TRUE.equals(a.get("isSymbolicLink")) ? "link"
                    : Boolean.TRUE.equals(a.get("isDirectory")) ? "directory"
                    : Boolean.TRUE.equals(a.get("isRegularFile")) ? "file" : "other";
            r.put("exists", true);
            r.put("type", type);
            r.put("size", a.get("size"));
            r.put("mode", (long) (((Integer) a.get("mode")) & 07777));
            r.put("owner", ((UserPrincipal) a.get("owner")).getName());
            r.put("group", ((GroupPrincipal) a.get("group")).getName());
            r.put("uid", (long) (Integer) a.get("uid"));
            r.put("gid", (long) (Integer) a.get("gid"));
            r.put("mtime", ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
            if (Files.isSymbolicLink(path)) r.put("linkTarget", Files.readSymbolicLink(path).toString());
            if (checksum && "file".equals(type)) r.put("checksum", sha1(path));
            return r;
        } catch (IOException e) {
            throw failure("stat", path, e);
        }
    }

    /**
     * Writes to a temp file in the same directory, flushes it to disk, then renames it over the target, so
     * readers see the old content or the new, never a part. An existing file's mode (and, when allowed,
     * its owner and group) carry over unless new ones are given, as Ansible's atomic_move does. Answers with the
     * written file's stat.
     */
    Map<String, Object> write(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        byte[] content = Payload.bytes(p, "content");
        if (content == null) content = new byte[0];
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new RequestFailure(ErrorKind.NOT_FOUND, "cannot write " + path + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new RequestFailure(ErrorKind.IO, "cannot write " + path + ": it is a directory");
        }
        Path tmp = dir.resolve("." + path.getFileName() + "." + tempSuffix());
        try {
            // CREATE_NEW without explicit permissions honours the umask, unlike createTempFile's 0600.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Integer mode = intOrNull(p, "mode");
            String owner = Payload.str(p, "owner");
            String group = Payload.str(p, "group");
            if (Files.exists(path, NOFOLLOW) && !Files.isSymbolicLink(path)) {
                Map<String, Object> old = Files.readAttributes(path, "unix:mode,uid,gid", NOFOLLOW);
                if (mode == null) mode = ((Integer) old.get("mode")) & 07777;
                if (owner == null && group == null) copyOwnershipQuietly(path, tmp);
            }
            applyAttrs(tmp, mode, owner, group);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir(dir);
            // the written file's stat, so the engine need not ask for it in another round trip
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("path", path.toString());
            return stat(q);
        } catch (IOException e) {
            throw failure("write", path, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the rename consumed it, or the directory went away
            }
        }
    }

    Map<String, Object> read(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        try {
            long size = Files.size(path);
            if (size > FrameIO.MAX_FRAME - 4096) {
                throw new RequestFailure(ErrorKind.IO, "cannot read " + path + ": " + size
                        + " bytes is more than the agent moves in one message; use a transfer without the agent");
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("content", Files.readAllBytes(path));
            return r;
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    Map<String, Object> mkdirs(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        try {
            boolean existed = Files.isDirectory(path);
            if (!existed && Files.exists(path, NOFOLLOW)) {
                throw new RequestFailure(ErrorKind.IO, "cannot create directory " + path + ": a file is in the way");
            }
            // every directory created on the way gets the attributes too, as Ansible's file and copy do
            java.util.List<Path> created = new java.util.ArrayList<>();
            for (Path d = path; d != null && !Files.exists(d, NOFOLLOW); d = d.getParent()) created.add(d);
            Files.createDirectories(path);
            if (!created.contains(path)) created.add(path);
            for (Path d : created) applyAttrs(d, intOrNull(p, "mode"), Payload.str(p, "owner"), Payload.str(p, "group"));
            // the directory's stat, so the engine need not ask for it in another round trip
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("path", path.toString());
            q.put("follow", true);
            Map<String, Object> r = stat(q);
            r.put("created", !existed);
            return r;
        } catch (IOException e) {
            throw failure("create directory", path, e);
        }
    }

    Map<String, Object> setAttrs(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        try {
            if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
            boolean changed = applyAttrs(path, intOrNull(p, "mode"), Payload.str(p, "owner"), Payload.str(p, "group"));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changed", changed);
            return r;
        } catch (IOException e) {
            throw failure("set attributes of", path, e);
        }
    }

    Map<String, Object> symlink(Map<String, Object> p) throws RequestFailure {
        String target = Payload.requireStr(p, "target");
        Path link = path(p, "link");
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            if (Files.isSymbolicLink(link)) {
                if (Files.readSymbolicLink(link).toString().equals(target)) {
                    r.put("changed", false);
                    return r;
                }
                // Replace by renaming a fresh link over the old one: there is no moment without a link.
                Path tmp = link.resolveSibling("." + link.getFileName() + "." + tempSuffix());
                Files.createSymbolicLink(tmp, Paths.get(target));
                try {
                    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } else if (Files.exists(link, NOFOLLOW)) {
                throw new RequestFailure(ErrorKind.IO, "cannot create link " + link + ": a "
                        + (Files.isDirectory(link) ? "directory" : "file") + " is already there");
            } else {
                Files.createSymbolicLink(link, Paths.get(target));
            }
            r.put("changed", true);
            return r;
        } catch (IOException e) {
            throw failure("create link", link, e);
        }
    }

    Map<String, Object> remove(Map<String, Object> p) throws RequestFailure {
        Path path = path(p, "path");
        boolean recursive = Payload.bool(p, "recursive", false);
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            if (!Files.exists(path, NOFOLLOW)) {
                r.put("existed", false);
                return r;
            }
            if (recursive && Files.isDirectory(path, NOFOLLOW)) {
                Files.walkFileTree(path, new SimpleFileVisitor<Path>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                        if (exc != null) throw exc;
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.delete(path);
            }
            r.put("existed", true);
            return r;
        } catch (DirectoryNotEmptyException e) {
            throw new RequestFailure(ErrorKind.IO, "cannot remove " + path + ": directory is not empty (remove it recursively)");
        } catch (IOException e) {
            throw failure("remove", path, e);
        }
    }

    /** Applies the given attributes; returns whether anything differed. */
    private static boolean applyAttrs(Path path, Integer mode, String owner, String group) throws IOException {
        boolean changed = false;
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        if (owner != null) {
            UserPrincipal u = lookupUser(lookup, owner);
            if (!u.equals(view.getOwner())) {
                view.setOwner(u);
                changed = true;
            }
        }
        if (group != null) {
            GroupPrincipal g = lookupGroup(lookup, group);
            if (!g.equals(view.readAttributes().group())) {
                view.setGroup(g);
                changed = true;
            }
        }
        if (mode != null) {
            int current = ((Integer) Files.getAttribute(path, "unix:mode")) & 07777;
            if (current != mode) {
                setMode(path, mode);
                changed = true;
            }
        }
        return changed;
    }

    /** Java sets only the nine rwx bits; setuid, setgid and sticky go through chmod(1). */
    private static void setMode(Path path, int mode) throws IOException {
        if ((mode & ~0777) == 0) {
            Files.setPosixFilePermissions(path, permissions(mode));
            return;
        }
        Process p = new ProcessBuilder("chmod", Integer.toOctalString(mode), path.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                if (out.contains("not permitted")) throw new FileSystemException(path.toString(), null, "Operation not permitted");
                throw new FileSystemException(path.toString(), null, "chmod failed: " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FileSystemException(path.toString(), null, "interrupted during chmod");
        }
    }

    private static UserPrincipal lookupUser(UserPrincipalLookupService lookup, String name) throws IOException {
        try {
            return lookup.lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new FileSystemException(name, null, "no such user '" + name + "'");
        }
    }

    private static GroupPrincipal lookupGroup(UserPrincipalLookupService lookup, String name) throws IOException {
        try {
            return lookup.lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new FileSystemException(name, null, "no such group '" + name + "'");
        }
    }

    private static void copyOwnershipQuietly(Path from, Path to) {
        try {
            PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class, NOFOLLOW);
            PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class, NOFOLLOW);
            java.nio.file.attribute.PosixFileAttributes a = src.readAttributes();
            java.nio.file.attribute.PosixFileAttributes b = dst.readAttributes();
            if (!a.owner().equals(b.owner())) dst.setOwner(a.owner());
            if (!a.group().equals(b.group())) dst.setGroup(a.group());
        } catch (IOException ignored) {
            // Only root may give a file away; then the new file keeps the writer's ownership, as with Ansible.
        }
    }

    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some filesystems refuse to sync a directory; the rename itself already happened.
        }
    }

    private static String sha1(Path path) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java runtime", e);
        }
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        StringBuilder sb = new StringBuilder(40);
        for (byte b : md.digest()) sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        return sb.toString();
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) s.add(order[i]);
        return s;
    }

    private static Integer intOrNull(Map<String, Object> p, String key) {
        Long l = Payload.lng(p, key);
        return l == null ? null : (int) (long) l;
    }

    private static Path path(Map<String, Object> p, String key) throws RequestFailure {
        String s = Payload.requireStr(p, key);
        if (!s.startsWith("/")) throw new RequestFailure(ErrorKind.BAD_REQUEST, key + " must be an absolute path, got '" + s + "'");
        return Paths.get(s);
    }

    /** Turns Java's exception zoo into one message for a person, keeping the kind for the engine. */
    private static RequestFailure failure(String op, Path path, IOException e) {
        String reason;
        String kind = ErrorKind.IO;
        if (e instanceof NoSuchFileException) {
            String f = ((NoSuchFileException) e).getFile();
            reason = f != null && !f.equals(path.toString()) ? f + " does not exist" : "no such file or directory";
            kind = ErrorKind.NOT_FOUND;
        } else if (e instanceof AccessDeniedException) {
            String f = ((AccessDeniedException) e).getFile();
            reason = "permission denied" + (f != null && !f.equals(path.toString()) && !f.contains(".drover-tmp") ? " on " + f : "");
            kind = ErrorKind.DENIED;
        } else if (e instanceof NotDirectoryException) {
            reason = "a parent is not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "it already exists";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            reason = ((FileSystemException) e).getReason();
            if (reason.startsWith("Operation not permitted")) {
                kind = ErrorKind.DENIED;
                reason = "operation not permitted (only the owner or root may change this)";
            }
        } else {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new RequestFailure(kind, "cannot " + op + " " + path + ": " + reason);
    }
}
