package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's {@code wait_for}, polled from the controller with one short exec per attempt (a port probe or a
 * stat/read of the path), so it works agentless and through the agent alike.
 */
public final class WaitForModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("host", ArgSpec.Type.STR, false, "127.0.0.1")
            .add("port", ArgSpec.Type.INT, false, null)
            .add("path", ArgSpec.Type.PATH, false, null)
            .add("search_regex", ArgSpec.Type.STR, false, null)
            .choice("state", "started", "absent", "drained", "present", "started", "stopped")
            .add("timeout", ArgSpec.Type.INT, false, 300)
            .add("delay", ArgSpec.Type.INT, false, 0)
            .add("sleep", ArgSpec.Type.INT, false, 1)
            .add("connect_timeout", ArgSpec.Type.INT, false, 5)
            .add("msg", ArgSpec.Type.STR, false, null).build();

    /**
     * Tries to open a TCP connection with whatever the host has: nc, bash's /dev/tcp, or python. Host and port are
     * positional parameters; rc 0 = open, 1 = closed, 3 = no tool to probe with.
     */
    private static final String PROBE = String.join("\n",
            "h=$1; p=$2; t=$3",
            "if command -v nc >/dev/null 2>&1; then nc -z -w \"$t\" \"$h\" \"$p\" >/dev/null 2>&1 && exit 0 || exit 1; fi",
            "if command -v bash >/dev/null 2>&1; then",
            "  timeout \"$t\" bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$h\" \"$p\" 2>/dev/null && exit 0 || exit 1; fi",
            "for py in python3 python; do if command -v $py >/dev/null 2>&1; then",
            "  $py -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), float(sys.argv[3]))' "
                    + "\"$h\" \"$p\" \"$t\" 2>/dev/null && exit 0 || exit 1; fi; done",
            "exit 3");

    public WaitForModule() {
        super("wait_for", SPEC, false);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        Integer port = Args.integer(a, "port");
        String path = Args.str(a, "path");
        String state = Args.str(a, "state");
        String target = Args.str(a, "host");
        if (port != null && path != null) return ModuleResult.failed("port and path parameter can not both be passed to wait_for");
        if (state.equals("drained")) {
            return ModuleResult.failed("state=drained is not supported by Drover's wait_for (it needs the host's "
                    + "connection table); wait for state=stopped instead");
        }
        if (path != null && state.equals("stopped")) state = "absent";
        if (port != null && (state.equals("absent") || state.equals("present"))) {
            state = state.equals("absent") ? "stopped" : "started";
        }
        Pattern re;
        try {
            re = a.get("search_regex") == null ? null : Pattern.compile(Args.str(a, "search_regex"), Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            return ModuleResult.failed("invalid search_regex: " + e.getDescription());
        }
        long start = System.nanoTime();
        sleep(Args.integer(a, "delay"));
        long deadline = start + Args.integer(a, "timeout") * 1_000_000_000L;
        boolean wantPresent = state.equals("started") || state.equals("present");
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            Boolean ok;
            if (port != null) {
                ExecResult r = host.exec(ExecSpec.argv(List.of("sh", "-c", PROBE, "sh", target, String.valueOf(port),
                        String.valueOf(Args.integer(a, "connect_timeout")))));
                if (r.rc() == 3) {
                    return ModuleResult.failed("cannot probe ports on this host: it has none of nc, bash or python");
                }
                ok = (r.rc() == 0) == wantPresent;
            } else if (path != null) {
                FileStat st = host.stat(path, false, true);
                if (!wantPresent) {
                    ok = !st.exists();
                } else if (!st.exists()) {
                    ok = false;
                } else if (re == null) {
                    ok = true;
                } else {
                    Matcher mt = re.matcher(new String(host.readFile(path), StandardCharsets.UTF_8));
                    ok = mt.find();
                    if (ok) groups(mt, m);
                }
            } else {
                // Neither port nor path: like Ansible, simply wait for the timeout.
                sleep(Args.integer(a, "timeout"));
                ok = true;
            }
            if (ok) break;
            if (System.nanoTime() + Args.integer(a, "sleep") * 1_000_000_000L > deadline) {
                String msg = Args.str(a, "msg");
                if (msg == null) msg = timeoutMessage(port, path, target, state, Args.str(a, "search_regex"));
                return ModuleResult.failed(msg, Map.of("elapsed", (System.nanoTime() - start) / 1_000_000_000L));
            }
            sleep(Args.integer(a, "sleep"));
        }
        m.put("elapsed", (System.nanoTime() - start) / 1_000_000_000L);
        m.put("state", state);
        if (port != null) m.put("port", port);
        if (path != null) m.put("path", path);
        return ModuleResult.of(false, m);
    }

    private static void groups(Matcher mt, Map<String, Object> m) {
        List<String> g = new java.util.ArrayList<>();
        for (int i = 1; i <= mt.groupCount(); i++) g.add(mt.group(i));
        m.put("match_groups", g);
        Map<String, String> named = new LinkedHashMap<>();
        // Java 17 has no public list of named groups; read the names from the pattern text.
        Matcher names = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(mt.pattern().pattern());
        while (names.find()) named.put(names.group(1), mt.group(names.group(1)));
        m.put("match_groupdict", named);
    }

    private static String timeoutMessage(Integer port, String path, String host, String state, String regex) {
        if (port != null) {
            return "Timeout when waiting for " + host + ":" + port + (state.equals("stopped") ? " to stop." : "");
        }
        if (state.equals("absent")) return "Timeout when waiting for " + path + " to be absent.";
        if (regex != null) return "Timeout when waiting for search string " + regex + " in " + path;
        return "Timeout when waiting for file " + path;
    }

    private static void sleep(Integer seconds) throws IOException {
        if (seconds == null || seconds <= 0) return;
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting", e);
        }
    }
}
