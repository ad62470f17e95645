package dev.drover.modules;

import dev.drover.host.FileStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ansible's {@code fetch}: a host file to the controller, under {@code dest/<inventory_hostname>/<src path>}
 * or, with {@code flat}, at dest itself. The controller-side write is atomic (temp file + rename).
 */
public final class FetchModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("src", ArgSpec.Type.STR, true, null)
            .add("dest", ArgSpec.Type.STR, true, null)
            .add("flat", ArgSpec.Type.BOOL, false, false)
            .add("fail_on_missing", ArgSpec.Type.BOOL, false, true)
            .add("validate_checksum", ArgSpec.Type.BOOL, false, true).build();

    public FetchModule() {
        super("fetch", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String src = Args.str(a, "src");
        String dest = Args.str(a, "dest");
        FileStat st = ctx.host().stat(src, true, true);
        if (!st.exists() || st.isDirectory()) {
            String msg = st.exists() ? "remote file is a directory, fetch cannot work on directories"
                    : "the remote file does not exist, not transferring, ignored";
            Map<String, Object> m = Map.of("file", src);
            return Args.bool(a, "fail_on_missing") ? ModuleResult.failed(msg, m)
                    : ModuleResult.of(false, Map.of("file", src, "msg", msg));
        }
        Path target;
        if (Args.bool(a, "flat")) {
            target = dest.endsWith("/") ? Path.of(dest, Path.of(src).getFileName().toString()) : Path.of(dest);
        } else {
            String rel = src.startsWith("/") ? src.substring(1) : src;
            target = Path.of(dest, ctx.inventoryHostname(), rel);
        }
        target = target.toAbsolutePath().normalize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", target.toString());
        m.put("remote_checksum", st.checksum());
        String local = Files.isRegularFile(target) ? FileSupport.sha1(Files.readAllBytes(target)) : null;
        if (st.checksum() != null && st.checksum().equals(local)) {
            m.put("checksum", local);
            m.put("file", src);
            return ModuleResult.of(false, m);
        }
        if (ctx.checkMode()) return ModuleResult.of(true, m);
        byte[] data = ctx.host().readFile(src);
        String got = FileSupport.sha1(data);
        if (Args.bool(a, "validate_checksum") && st.checksum() != null && !st.checksum().equals(got)) {
            return ModuleResult.failed("checksum mismatch: the file changed on the host while it was being fetched", m);
        }
        Files.createDirectories(target.getParent());
        // the same atomic temp-file-and-rename write as on hosts
        dev.drover.transport.AtomicFiles.write(target, data, null);
        m.put("checksum", got);
        m.put("md5sum", FileSupport.md5(data));
        return ModuleResult.of(true, m);
    }
}
