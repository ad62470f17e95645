package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Ansible's {@code copy}: content or a controller file/directory (or a host file with remote_src) to dest. */
public final class CopyModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("src", ArgSpec.Type.PATH, false, null)
            .add("content", ArgSpec.Type.RAW, false, null)
            .add("dest", ArgSpec.Type.PATH, true, null)
            .add("backup", ArgSpec.Type.BOOL, false, false)
            .add("force", ArgSpec.Type.BOOL, false, true, "thirsty")
            .add("remote_src", ArgSpec.Type.BOOL, false, false)
            .add("directory_mode", ArgSpec.Type.RAW, false, null)
            .add("validate", ArgSpec.Type.STR, false, null)
            .add("follow", ArgSpec.Type.BOOL, false, false)
            .add("local_follow", ArgSpec.Type.BOOL, false, true)).build();

    public CopyModule() {
        super("copy", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        String src = Args.str(a, "src");
        Object content = a.get("content");
        String dest = Args.str(a, "dest");
        if (src != null && content != null) return ModuleResult.failed("src and content are mutually exclusive");
        if (src == null && content == null) return ModuleResult.failed("src (or content) is required");
        PutFile.Options o = PutFile.options(a);
        if (content != null) {
            if (dest.endsWith("/")) return ModuleResult.failed("can not use content with a dir as dest");
            return PutFile.put(ctx, dest, contentBytes(content), o, null);
        }
        if (Args.bool(a, "remote_src")) return copyRemote(ctx, src, dest, o);
        Path local = ctx.findFile("files", src);
        if (Files.isDirectory(local)) return copyTree(ctx, local, src.endsWith("/"), dest, o);
        String name = local.getFileName().toString();
        if (dest.endsWith("/") && !ctx.checkMode()) host.mkdirs(dest, dirAttrs(a));
        return putFile(ctx, dest, name, ctx.readLocal(local), o, local.toString());
    }

    /** Ansible writes content strings as given; a mapping or list would be JSON, as Ansible's templating does. */
    private static byte[] contentBytes(Object content) throws IOException {
        if (content instanceof Map || content instanceof List) {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(content);
        }
        return content.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A file copied to an existing directory (or a dest ending in '/') lands inside it under its own name. */
    private static ModuleResult putFile(ModuleContext ctx, String dest, String name, byte[] content, PutFile.Options o,
                                        String src) throws IOException {
        if (dest.endsWith("/")) return PutFile.put(ctx, dest + name, content, o, src);
        return PutFile.put(ctx, dest, name, content, o, src);
    }

    private static FileAttrs dirAttrs(Map<String, Object> a) {
        Integer m = FileSupport.parseMode(a.get("directory_mode"), 0755, true);
        return new FileAttrs(m, Args.str(a, "owner"), Args.str(a, "group"));
    }

    /**
     * A controller directory: "dir/" copies its contents into dest, "dir" copies the directory itself.
     * Each file goes through the same idempotent put; the result is changed if any file or directory was.
     */
    private static ModuleResult copyTree(ModuleContext ctx, Path root, boolean contentsOnly, String dest,
                                         PutFile.Options o) throws IOException {
        String base = stripSlash(dest) + (contentsOnly ? "" : "/" + root.getFileName());
        List<Path> entries;
        try (Stream<Path> s = Files.walk(root)) {
            entries = s.sorted().toList();
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> dirs = new ArrayList<>();
        for (Path p : entries) {
            String rel = root.relativize(p).toString();
            String target = rel.isEmpty() ? base : base + "/" + rel;
            if (Files.isDirectory(p)) dirs.add(target);
            else files.put(target, ctx.readLocal(p));
        }
        return putTree(ctx, dirs, files, o, dest);
    }

    /** remote_src: the source is on the host; a directory is listed with find and read file by file. */
    private static ModuleResult copyRemote(ModuleContext ctx, String src, String dest, PutFile.Options o)
            throws IOException {
        HostOps host = ctx.host();
        FileStat ss = host.stat(src, false, true);
        if (!ss.exists()) return ModuleResult.failed("Source " + src + " not found");
        if (!ss.isDirectory()) {
            String name = src.substring(src.lastIndexOf('/') + 1);
            return putFile(ctx, dest, name, host.readFile(src), o, src);
        }
        String root = stripSlash(src);
        String base = stripSlash(dest) + (src.endsWith("/") ? "" : "/" + root.substring(root.lastIndexOf('/') + 1));
        ExecResult r = host.exec(ExecSpec.argv(List.of("find", root, "-mindepth", "1", "-printf", "%y %P\\0")));
        if (r.rc() != 0) return ModuleResult.failed("cannot list " + src + ": " + r.stderrText().strip());
        List<String> dirs = new ArrayList<>(List.of(base));
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String e : r.stdoutText().split("\0")) {
            if (e.length() < 3) continue;
            String rel = e.substring(2);
            if (e.charAt(0) == 'd') dirs.add(base + "/" + rel);
            else if (e.charAt(0) == 'f') files.put(base + "/" + rel, host.readFile(root + "/" + rel));
        }
        return putTree(ctx, dirs, files, o, dest);
    }

    private static ModuleResult putTree(ModuleContext ctx, List<String> dirs, Map<String, byte[]> files,
                                        PutFile.Options o, String dest) throws IOException {
        HostOps host = ctx.host();
        boolean changed = false;
        FileAttrs da = dirAttrs(o.attrArgs());
        for (String d : dirs) {
            FileStat st = host.stat(d, false, true);
            if (!st.exists()) {
                changed = true;
                if (!ctx.checkMode()) host.mkdirs(d, da);
            } else if (!st.isDirectory()) {
                return ModuleResult.failed("cannot copy a directory over " + d + ": it is not a directory");
            } else {
                changed |= FileSupport.applyAttrs(ctx, d, da);
            }
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (ctx.checkMode() && !host.stat(FileSupport.parent(f.getKey()), false, true).exists()) {
                changed = true; // its directory would be created above; the file is new
                continue;
            }
            ModuleResult r = PutFile.put(ctx, f.getKey(), f.getValue(), o, null);
            if (r.failed()) return r;
            changed |= r.changed();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", dest);
        m.put("state", "directory");
        return ModuleResult.of(changed, m);
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
