package dev.drover.modules;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.host.ExecSpec;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ansible's {@code uri}, run on the host like Ansible does, with the host's {@code curl}. The request body goes
 * through stdin and headers/URL as separate arguments, so nothing from the task is ever parsed by a shell.
 */
public final class UriModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("url", ArgSpec.Type.STR, true, null)
            .add("method", ArgSpec.Type.STR, false, "GET")
            .add("body", ArgSpec.Type.RAW, false, null)
            .choice("body_format", "raw", "form-urlencoded", "json", "raw")
            .add("status_code", ArgSpec.Type.LIST, false, List.of(200))
            .add("return_content", ArgSpec.Type.BOOL, false, false)
            .add("headers", ArgSpec.Type.DICT, false, Map.of())
            .add("timeout", ArgSpec.Type.INT, false, 30)
            .add("validate_certs", ArgSpec.Type.BOOL, false, true)
            .add("follow_redirects", ArgSpec.Type.STR, false, "safe")
            .add("url_username", ArgSpec.Type.STR, false, null, "user")
            .secret("url_password")
            .add("force_basic_auth", ArgSpec.Type.BOOL, false, false)
            .add("dest", ArgSpec.Type.PATH, false, null)
            .add("creates", ArgSpec.Type.PATH, false, null)
            .add("removes", ArgSpec.Type.PATH, false, null).build();

    /** Marks the end of the body in curl's output, followed by status and headers. */
    private static final String SEP = "\n--drover-uri-meta--\n";

    public UriModule() {
        super("uri", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String url = Args.str(a, "url");
        if (a.get("creates") != null && ctx.host().stat(Args.str(a, "creates"), false, false).exists()) {
            return ModuleResult.of(false, Map.of("msg", Args.str(a, "creates") + " exists, not running"));
        }
        if (a.get("removes") != null && !ctx.host().stat(Args.str(a, "removes"), false, false).exists()) {
            return ModuleResult.of(false, Map.of("msg", Args.str(a, "removes") + " does not exist, not running"));
        }
        String method = Args.str(a, "method").toUpperCase(Locale.ROOT);
        if (ctx.checkMode() && !method.equals("GET") && !method.equals("HEAD")) {
            return ModuleResult.skipped("a " + method + " request would change state; not sent in check mode");
        }
        Map<String, Object> headers = new LinkedHashMap<>(Args.dict(a, "headers"));
        byte[] body = null;
        Object b = a.get("body");
        String fmt = Args.str(a, "body_format");
        if (b != null) {
            if (fmt.equals("json")) {
                body = b instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : new ObjectMapper().writeValueAsBytes(b);
                headers.putIfAbsent("Content-Type", "application/json");
            } else if (fmt.equals("form-urlencoded") && b instanceof Map<?, ?> form) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<?, ?> e : form.entrySet()) {
                    if (sb.length() > 0) sb.append('&');
                    sb.append(java.net.URLEncoder.encode(String.valueOf(e.getKey()), StandardCharsets.UTF_8)).append('=')
                            .append(java.net.URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
                }
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
                headers.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
            } else {
                body = String.valueOf(b).getBytes(StandardCharsets.UTF_8);
            }
        }
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "-i", "-X", method, "--max-time",
                String.valueOf(a.get("timeout"))));
        if (!Args.bool(a, "validate_certs")) argv.add("-k");
        if (!"none".equals(Args.str(a, "follow_redirects")) && !"no".equals(Args.str(a, "follow_redirects"))) argv.add("-L");
        for (Map.Entry<String, Object> h : headers.entrySet()) argv.addAll(List.of("-H", h.getKey() + ": " + h.getValue()));
        if (a.get("url_username") != null) {
            // curl reads "-u user:password" from its argument list; a config file on stdin would be private but
            // stdin carries the body. The password is visible in the host's process list for the request's duration.
            argv.addAll(List.of("-u", Args.str(a, "url_username") + ":" + (a.get("url_password") == null ? "" : a.get("url_password"))));
            if (Args.bool(a, "force_basic_auth")) argv.add("--basic");
        }
        if (body != null) argv.addAll(List.of("--data-binary", "@-"));
        if (a.get("dest") != null) argv.addAll(List.of("-o", Args.str(a, "dest")));
        argv.addAll(List.of("-w", SEP + "%{http_code}\n%{url_effective}\n%{content_type}", "--", url));
        ExecSpec spec = ExecSpec.argv(argv);
        if (body != null) spec = spec.withStdin(body);
        ExecResult r = ctx.host().exec(spec);
        if (r.rc() == 127) {
            return ModuleResult.failed("the uri module needs curl on the host, and this host has none; install curl "
                    + "or make the request from the controller with delegate_to: localhost");
        }
        String out = r.stdoutText();
        int sep = out.lastIndexOf(SEP);
        if (r.rc() != 0 || sep < 0) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", -1);
            m.put("url", url);
            return ModuleResult.failed("Status code was -1 and not " + a.get("status_code") + ": Request failed: "
                    + r.stderrText().strip(), m);
        }
        String[] meta = out.substring(sep + SEP.length()).split("\n", -1);
        int status = Integer.parseInt(meta[0].strip());
        String response = out.substring(0, sep);
        // With -i (and -L) curl prints every response's headers; the last block belongs to the final response.
        Map<String, Object> m = new LinkedHashMap<>();
        String content = response;
        int idx;
        while (content.startsWith("HTTP/") && (idx = headerEnd(content)) >= 0) {
            String block = content.substring(0, idx);
            content = content.substring(idx).replaceFirst("^\r?\n\r?\n", "");
            m.clear();
            for (String h : block.split("\r?\n")) {
                int colon = h.indexOf(':');
                if (colon > 0) m.put(h.substring(0, colon).toLowerCase(Locale.ROOT).replace('-', '_'), h.substring(colon + 1).strip());
            }
        }
        m.put("status", status);
        m.put("url", meta.length > 1 ? meta[1] : url);
        m.put("redirected", meta.length > 1 && !meta[1].equals(url));
        m.put("msg", "OK (" + content.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        if (Args.bool(a, "return_content")) m.put("content", content);
        String ctype = meta.length > 2 ? meta[2] : "";
        if (ctype.contains("json") && !content.isBlank()) {
            try {
                m.put("json", new ObjectMapper().readValue(content, Object.class));
            } catch (IOException e) {
                // Not valid JSON despite the header: Ansible leaves "json" out as well.
            }
        }
        List<String> wanted = Args.strings(a, "status_code");
        if (!wanted.contains(String.valueOf(status))) {
            return ModuleResult.failed("Status code was " + status + " and not " + wanted + ": HTTP Error " + status, m);
        }
        return ModuleResult.of(false, m);
    }

    private static int headerEnd(String s) {
        int crlf = s.indexOf("\r\n\r\n");
        int lf = s.indexOf("\n\n");
        if (crlf >= 0 && (lf < 0 || crlf <= lf)) return crlf;
        return lf;
    }
}
