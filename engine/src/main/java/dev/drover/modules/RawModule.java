package dev.drover.modules;

import dev.drover.host.ExecSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's {@code raw}: the text goes to the host's shell as is; no check mode, output not stripped. */
public final class RawModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder().freeForm()
            .add("executable", ArgSpec.Type.PATH, false, null).build();

    public RawModule() {
        super("raw", SPEC, false);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        String text = Args.str(ctx.args(), ArgSpec.RAW_PARAMS);
        if (text == null || text.isBlank()) return ModuleResult.failed("raw needs a command line (free-form text)");
        String exe = Args.str(ctx.args(), "executable");
        ExecSpec spec = exe == null ? ExecSpec.shell(text) : ExecSpec.argv(List.of(exe, "-c", text));
        ModuleResult r = CommandSupport.run(ctx.host(), spec, text, false);
        // raw returns only rc/stdout/stderr (+ lines), like Ansible; no cmd, start, end or delta.
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("changed", "rc", "stdout", "stdout_lines", "stderr", "stderr_lines", "failed", "msg")) {
            if (r.values().containsKey(k)) m.put(k, r.values().get(k));
        }
        if (!r.failed()) m.remove("msg");
        return new ModuleResult(m);
    }
}
