package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.HostOps;
import dev.drover.text.Shlex;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's {@code command}: runs a program with arguments, no shell. */
public final class CommandModule extends AbstractModule {
    private static final ArgSpec SPEC = commonSpec(false);

    /** The arguments command and shell share (shell adds {@code executable}). */
    static ArgSpec commonSpec(boolean shell) {
        ArgSpec.Builder b = ArgSpec.builder().freeForm()
                .add("cmd", ArgSpec.Type.STR, false, null)
                .add("argv", ArgSpec.Type.LIST, false, null)
                .add("chdir", ArgSpec.Type.PATH, false, null)
                .add("creates", ArgSpec.Type.PATH, false, null)
                .add("removes", ArgSpec.Type.PATH, false, null)
                .add("stdin", ArgSpec.Type.STR, false, null)
                .add("stdin_add_newline", ArgSpec.Type.BOOL, false, true)
                .add("strip_empty_ends", ArgSpec.Type.BOOL, false, true)
                .add("executable", ArgSpec.Type.PATH, false, null);
        return b.build();
    }

    public CommandModule() {
        super("command", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        return execute(ctx, false);
    }

    /** The body of command and shell; {@code shell} decides whether the text goes to sh or is split into argv. */
    static ModuleResult execute(ModuleContext ctx, boolean shell) throws IOException {
        Map<String, Object> a = new LinkedHashMap<>(ctx.args());
        HostOps host = ctx.host();
        String raw = Args.str(a, ArgSpec.RAW_PARAMS);
        if (raw != null) raw = CommandSupport.extractInline(raw, a);
        String text = raw != null && !raw.isEmpty() ? raw : Args.str(a, "cmd");
        List<String> argvArg = Args.strings(a, "argv");
        if (text != null && !argvArg.isEmpty()) {
            return ModuleResult.failed("only one of the free-form command, 'cmd' or 'argv' may be given");
        }
        if ((text == null || text.isBlank()) && argvArg.isEmpty()) {
            return ModuleResult.failed("no command given");
        }
        Object cmd;
        ExecSpec spec;
        if (shell) {
            String line = text != null ? text : dev.drover.transport.ShellQuote.join(argvArg);
            cmd = line;
            String exe = Args.str(a, "executable");
            spec = exe == null ? ExecSpec.shell(line) : ExecSpec.argv(List.of(exe, "-c", line));
        } else {
            List<String> argv;
            try {
                argv = text != null ? Shlex.split(text) : argvArg;
            } catch (IllegalArgumentException e) {
                return ModuleResult.failed("cannot split the command into arguments: " + e.getMessage());
            }
            cmd = argv;
            spec = ExecSpec.argv(argv);
        }
        String chdir = Args.str(a, "chdir");
        ModuleResult bad = CommandSupport.checkChdir(host, chdir, cmd);
        if (bad != null) return bad;
        ModuleResult skip = CommandSupport.skipByCreatesRemoves(host, cmd, Args.str(a, "creates"), Args.str(a, "removes"));
        if (skip != null) return skip;
        if (ctx.checkMode()) return checkSkip(cmd);
        spec = spec.withChdir(chdir).withStdin(CommandSupport.stdin(a.get("stdin"), Args.bool(a, "stdin_add_newline")));
        ModuleResult r = CommandSupport.run(host, spec, cmd, Args.bool(a, "strip_empty_ends"));
        if (!shell && notFound(r, spec.argv().get(0))) {
            Map<String, Object> m = new LinkedHashMap<>(r.values());
            m.remove("msg");
            m.remove("failed");
            m.put("changed", false);
            m.put("rc", 2);
            m.put("cmd", text != null ? text : String.join(" ", spec.argv()));
            // Ansible never started the program, so there is no output; sh's "not found" is ours, not the user's.
            for (String k : List.of("stdout", "stderr")) m.put(k, "");
            for (String k : List.of("stdout_lines", "stderr_lines")) m.put(k, List.of());
            return ModuleResult.failed("[Errno 2] No such file or directory: b'" + spec.argv().get(0) + "'", m);
        }
        return r;
    }

    /** The program itself was missing (sh's exec reports 127 "not found"), not a failure of the program. */
    private static boolean notFound(ModuleResult r, String program) {
        Object rc = r.values().get("rc");
        String err = String.valueOf(r.values().get("stderr"));
        return Integer.valueOf(127).equals(rc) && err.contains(program) && (err.contains("not found")
                || err.contains("No such file"));
    }

    static ModuleResult checkSkip(Object cmd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", false);
        m.put("skipped", true);
        m.put("cmd", cmd);
        m.put("rc", 0);
        m.put("stdout", "");
        m.put("stdout_lines", List.of());
        m.put("stderr", "");
        m.put("stderr_lines", List.of());
        m.put("start", null);
        m.put("end", null);
        m.put("delta", null);
        m.put("msg", "Command would have run if not in check mode");
        return new ModuleResult(m);
    }
}
