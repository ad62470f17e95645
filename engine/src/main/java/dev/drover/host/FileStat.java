package dev.drover.host;

/**
 * What {@code stat} reports. {@code type} is "file", "directory", "link", or "other"; {@code checksum} is
 * the SHA-1 hex of a regular file's content (Ansible's default) when asked for, else null. {@code uid} and
 * {@code gid} are the numeric ids behind owner and group (-1 when missing), so a module can report and compare
 * ownership from the stat it already has instead of asking the host again.
 */
public record FileStat(boolean exists, String path, String type, long size, int mode, String owner, String group,
                       int uid, int gid, long mtimeEpochSeconds, String linkTarget, String checksum) {
    public static FileStat missing(String path) {
        return new FileStat(false, path, null, 0, 0, null, null, -1, -1, 0, null, null);
    }

    public boolean isDirectory() {
        return "directory".equals(type);
    }

    public boolean isFile() {
        return "file".equals(type);
    }

    public boolean isLink() {
        return "link".equals(type);
    }
}
