package dev.drover.host;

/** File attributes to apply; null fields are left as they are. {@code mode} holds permission bits (0644 = 420). */
public record FileAttrs(Integer mode, String owner, String group) {
    public static final FileAttrs NONE = new FileAttrs(null, null, null);

    public boolean isEmpty() {
        return mode == null && owner == null && group == null;
    }
}
