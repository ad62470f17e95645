package dev.drover.modules;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.host.ExecSpec;
import dev.drover.host.HostOps;
import dev.drover.text.Shlex;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code expect}: runs a command on a pseudo-terminal and answers prompts. Ansible needs pexpect on the
 * host; Drover instead sends a small standard-library Python helper (expect.py, run with {@code python3 -c}), so
 * the host needs only python3. The request (command, answers) travels as JSON on stdin, never as shell text.
 */
public final class ExpectModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("command", ArgSpec.Type.STR, true, null)
            .add("responses", ArgSpec.Type.DICT, true, null)
            .add("timeout", ArgSpec.Type.INT, false, 30)
            .add("echo", ArgSpec.Type.BOOL, false, false)
            .add("chdir", ArgSpec.Type.PATH, false, null)
            .add("creates", ArgSpec.Type.PATH, false, null)
            .add("removes", ArgSpec.Type.PATH, false, null).build();

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    public ExpectModule() {
        super("expect", SPEC, false);
    }

    private static String helper() throws IOException {
        try (InputStream in = ExpectModule.class.getResourceAsStream("expect.py")) {
            if (in == null) throw new IOException("expect.py is missing from the Drover jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        String command = Args.str(a, "command");
        List<String> argv;
        try {
            argv = Shlex.split(command);
        } catch (IllegalArgumentException e) {
            return ModuleResult.failed("cannot split the command into arguments: " + e.getMessage());
        }
        if (argv.isEmpty()) return ModuleResult.failed("no command given");
        ModuleResult bad = CommandSupport.checkChdir(host, Args.str(a, "chdir"), command);
        if (bad != null) return bad;
        ModuleResult skip = CommandSupport.skipByCreatesRemoves(host, command, Args.str(a, "creates"), Args.str(a, "removes"));
        if (skip != null) return skip;
        List<List<Object>> responses = new ArrayList<>();
        for (Map.Entry<String, Object> e : Args.dict(a, "responses").entrySet()) {
            List<String> answers = new ArrayList<>();
            if (e.getValue() instanceof List<?> l) for (Object o : l) answers.add(String.valueOf(o));
            else answers.add(String.valueOf(e.getValue()));
            responses.add(List.of(e.getKey(), answers));
        }
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("argv", argv);
        req.put("chdir", Args.str(a, "chdir"));
        req.put("timeout", a.get("timeout"));
        req.put("echo", Args.bool(a, "echo"));
        req.put("responses", responses);
        ObjectMapper json = new ObjectMapper();
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        ExecResult r = host.exec(ExecSpec.argv(List.of("python3", "-c", helper()))
                .withStdin(json.writeValueAsBytes(req)));
        long nanos = System.nanoTime() - t0;
        if (r.rc() == 127) {
            return ModuleResult.failed("the expect module needs python3 on the host (Drover drives the terminal with "
                    + "a standard-library helper instead of pexpect), and this host has none");
        }
        if (r.rc() != 0) return ModuleResult.failed("the expect helper failed: " + r.stderrText().strip());
        @SuppressWarnings("unchecked")
        Map<String, Object> out = json.readValue(r.stdout(), Map.class);
        String stdout = CommandSupport.stripEnds(String.valueOf(out.get("stdout")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", command);
        m.put("stdout", stdout);
        m.put("stdout_lines", CommandSupport.lines(stdout));
        m.put("rc", out.get("rc"));
        m.put("start", TS.format(start));
        m.put("end", TS.format(LocalDateTime.now()));
        m.put("delta", CommandSupport.delta(Duration.ofNanos(nanos)));
        if (out.get("error") != null) return ModuleResult.failed(String.valueOf(out.get("error")), m);
        if (Boolean.TRUE.equals(out.get("timeout"))) {
            Map<String, Object> c = new LinkedHashMap<>(m);
            c.put("changed", true);
            return ModuleResult.failed("command exceeded timeout", c);
        }
        if (!Integer.valueOf(0).equals(out.get("rc"))) {
            Map<String, Object> c = new LinkedHashMap<>(m);
            c.put("changed", true);
            return ModuleResult.failed("non-zero return code", c);
        }
        return ModuleResult.of(true, m);
    }
}
