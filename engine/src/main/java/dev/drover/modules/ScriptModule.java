package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.HostOps;
import dev.drover.text.Shlex;
import dev.drover.transport.ExecResult;
import dev.drover.transport.ShellQuote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code script}: a controller file copied to a private temporary directory on the host, run there
 * (its arguments are shell text, as in Ansible), then removed.
 */
public final class ScriptModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder().freeForm()
            .add("cmd", ArgSpec.Type.STR, false, null)
            .add("chdir", ArgSpec.Type.PATH, false, null)
            .add("creates", ArgSpec.Type.PATH, false, null)
            .add("removes", ArgSpec.Type.PATH, false, null)
            .add("executable", ArgSpec.Type.STR, false, null).build();

    public ScriptModule() {
        super("script", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = new LinkedHashMap<>(ctx.args());
        HostOps host = ctx.host();
        String raw = Args.str(a, ArgSpec.RAW_PARAMS);
        if (raw != null) raw = CommandSupport.extractInline(raw, a);
        String text = raw != null && !raw.isEmpty() ? raw : Args.str(a, "cmd");
        if (text == null || text.isBlank()) return ModuleResult.failed("script needs a file name (free-form or cmd)");
        List<Shlex.Token> toks = Shlex.tokens(text);
        String src = toks.get(0).value();
        String rest = text.substring(toks.get(0).end()).strip();
        Path local = ctx.findFile("files", src);
        if (!Files.isRegularFile(local)) return ModuleResult.failed("script source " + local + " is not a file");
        ModuleResult bad = CommandSupport.checkChdir(host, Args.str(a, "chdir"), text);
        if (bad != null) return bad;
        ModuleResult skip = CommandSupport.skipByCreatesRemoves(host, text, Args.str(a, "creates"), Args.str(a, "removes"));
        if (skip != null) return skip;
        if (ctx.checkMode()) return CommandModule.checkSkip(text);
        ExecResult mk = host.exec(ExecSpec.argv(List.of("mktemp", "-d", "/tmp/drover-script.XXXXXXXX")));
        if (mk.rc() != 0) return ModuleResult.failed("cannot create a temporary directory on the host: " + mk.stderrText().strip());
        String dir = mk.stdoutText().strip();
        try {
            String remote = dir + "/" + local.getFileName();
            host.writeFile(remote, Files.readAllBytes(local), new FileAttrs(0700, null, null));
            String exe = Args.str(a, "executable");
            String line = (exe == null ? "" : exe + " ") + ShellQuote.quote(remote) + (rest.isEmpty() ? "" : " " + rest);
            ModuleResult r = CommandSupport.run(host, ExecSpec.shell(line).withChdir(Args.str(a, "chdir")), text, false);
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("changed", "rc", "stdout", "stdout_lines", "stderr", "stderr_lines", "failed", "msg")) {
                if (r.values().containsKey(k)) m.put(k, r.values().get(k));
            }
            if (!r.failed()) m.remove("msg");
            return new ModuleResult(m);
        } finally {
            host.remove(dir, true);
        }
    }
}
