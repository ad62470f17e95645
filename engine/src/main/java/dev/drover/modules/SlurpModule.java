package dev.drover.modules;

import dev.drover.host.FileStat;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ansible's {@code slurp}: a host file's content, base64 encoded. */
public final class SlurpModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("src", ArgSpec.Type.PATH, true, null, "path").build();

    public SlurpModule() {
        super("slurp", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        String src = Args.str(ctx.args(), "src");
        FileStat st = ctx.host().stat(src, false, true);
        if (!st.exists()) return ModuleResult.failed("file not found: " + src);
        if (st.isDirectory()) return ModuleResult.failed("source is a directory and must be a file");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("content", Base64.getEncoder().encodeToString(ctx.host().readFile(src)));
        m.put("source", src);
        m.put("encoding", "base64");
        return ModuleResult.of(false, m);
    }
}
