package dev.drover.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drover.cli.Main;
import dev.drover.lab.Lab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every module Drover shares with Ansible, end to end on two lab hosts over real OpenSSH: {@code labhost1} has Java
 * (Drover goes through the agent, one per become user, from the first task: {@code drover_agent=wait}), {@code labhost2}
 * has none (Drover goes agentless: every primitive one exec). {@code ansible-playbook} and {@code drover play} run the same playbooks on the same hosts, each in its own
 * directory and with its own user names, and must agree on the recap, on every value the playbooks print, and on the
 * files they leave; then the same comparison in {@code -C --diff} mode, which must change nothing. After every run no
 * agent process and no temp file is left on either host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModulesOnLabTest {
    static final Path DIR = Path.of("src/test/resources/e2e").toAbsolutePath();
    /** Each tool's token: its directory is /opt/e2e-TOKEN, its user and group TOKENu, TOKENg. */
    static final String ANSIBLE = "e2ea";
    static final String DROVER = "e2ed";
    static final List<String> HOSTS = List.of("labhost1", "labhost2");

    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+: (ok=\\d+\\s+changed=\\d+\\s+unreachable=\\d+\\s+failed=\\d+\\s+skipped=\\d+\\s+rescued=\\d+\\s+ignored=\\d+)");
    private static final Pattern DEBUG_START = Pattern.compile("^ok: \\[([^\\]]+)\\]( => \\(item=.*\\))? => \\{$");
    /** ansible-core 2.14 prints numbers from templates as strings, Drover as numbers (see DocumentedChoicesTest). */
    private static final Pattern NUMERIC_STRING = Pattern.compile("(: |^\\s+)\"(-?\\d+(?:\\.\\d+)?)\"(?=,?$)");
    /** copy's backup files are named after the pid and the time. */
    private static final Pattern BACKUP = Pattern.compile("\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~");

    private static Lab lab;
    private static Path inventory;
    private static Path work;
    private static HttpServer http;
    private static final Map<String, Map<String, String>> treesAfterRun = new LinkedHashMap<>();

    record Outcome(int exit, Map<String, String> recap, List<String> debug, String output) {}

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        lab = Lab.shared(2, "labhost2");
        assertThat(lab.host("labhost1").java()).isTrue();
        assertThat(lab.host("labhost2").java()).isFalse();
        work = dir;
        List<String> lines = new ArrayList<>(List.of("[all]"));
        // labhost1's tasks all go through its agents (by default a short run like this one may stay agentless)
        for (String h : HOSTS) lines.add(h + " ansible_host=" + lab.host(h).address() + (h.equals("labhost1") ? " drover_agent=wait" : ""));
        lines.add("");
        lines.add("[all:vars]");
        // The lab's own connection settings (user root, key, known_hosts, strict checking), from its inventory.
        boolean inVars = false;
        for (String line : Files.readAllLines(lab.inventory())) {
            if (line.startsWith("[")) inVars = line.equals("[all:vars]");
            else if (inVars && !line.isBlank()) lines.add(line);
        }
        inventory = dir.resolve("e2e.ini");
        Files.write(inventory, lines);

        // The uri module's server: on the controller's side of the lab bridge, known in the hosts as lab-controller.
        String address = lab.host("labhost1").address();
        String bridge = address.substring(0, address.lastIndexOf('.')) + ".1";
        http = HttpServer.create(new InetSocketAddress(bridge, 0), 0);
        http.createContext("/", ex -> {
            boolean found = ex.getRequestURI().getPath().equals("/hello.json");
            byte[] body = (found ? "{\"greeting\": \"hi\", \"n\": 1}" : "not here").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", found ? "application/json" : "text/plain");
            ex.sendResponseHeaders(found ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();

        // A tarball on the controller for unarchive (fixed modes, a subdirectory).
        Path src = Files.createDirectories(dir.resolve("bundle-src/pkg/sub"));
        Files.writeString(src.resolve("deep.txt"), "deep\n");
        Files.writeString(src.getParent().resolve("readme.txt"), "bundled\n");
        Files.setPosixFilePermissions(src.getParent().resolve("readme.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Lab.Result tar = Lab.controller("tar -czf " + dir.resolve("bundle.tar.gz") + " -C " + dir.resolve("bundle-src") + " pkg");
        assertThat(tar.exitCode()).as(tar.describe()).isZero();

        for (String h : HOSTS) cleanHost(h);
    }

    @AfterAll
    static void tearDown() {
        if (http != null) http.stop(0);
        if (lab != null) for (String h : HOSTS) cleanHost(h);
    }

    /** Removes what a run leaves on purpose (directories, users, groups, installed agent jars), before and after. */
    private static void cleanHost(String host) {
        StringBuilder cmd = new StringBuilder();
        for (String t : List.of(ANSIBLE, DROVER)) {
            cmd.append("userdel -r ").append(t).append("u 2>/dev/null; userdel ").append(t).append("c 2>/dev/null; groupdel ")
                    .append(t).append("g 2>/dev/null; rm -rf /opt/e2e-").append(t).append("; ");
        }
        cmd.append("rm -rf /root/.drover /home/drover/.drover; true");
        lab.exec(host, cmd.toString()).orThrow();
    }

    @Test
    @Order(1)
    void modulesMatchAnsibleThroughAgentAndAgentless() throws Exception {
        Outcome ansible = ansible("modules.yml", ANSIBLE);
        Outcome drover = drover("modules.yml", DROVER);
        compare(ansible, drover);
        assertThat(drover.exit()).as("exit" + context(ansible, drover)).isZero();
        assertThat(drover.recap()).as("every host ran").containsOnlyKeys(HOSTS);

        for (String h : HOSTS) {
            Map<String, String> a = tree(h, ANSIBLE);
            Map<String, String> d = tree(h, DROVER);
            assertThat(d).as("files on " + h).isEqualTo(a);
            assertThat(d).as("files on " + h).containsKeys("./c.conf", "./app.conf", "./drover/mine.txt", "./un/d/created",
                    "./un/pkg/sub/deep.txt");
            treesAfterRun.put(h, d);
        }
        assertThat(fetched(DROVER)).as("fetched files").isEqualTo(fetched(ANSIBLE)).hasSize(4);

        // labhost1 really went through the agent (installed for root and for the become user), labhost2 did not.
        assertThat(lab.exec("labhost1", "ls /root/.drover/agent /home/drover/.drover/agent").orThrow().stdout())
                .contains("drover-agent-");
        assertThat(lab.exec("labhost2", "ls -d /root/.drover /home/drover/.drover 2>/dev/null || true").stdout()).isBlank();
        assertNothingLeft();
    }

    @Test
    @Order(2)
    void checkAndDiffMatchAnsibleAndChangeNothing() throws Exception {
        assertThat(treesAfterRun).as("the first test converged the hosts").containsOnlyKeys(HOSTS);
        Outcome ansible = ansible("check.yml", ANSIBLE, "-C", "--diff");
        Outcome drover = drover("check.yml", DROVER, "-C", "--diff");
        compare(ansible, drover);
        assertThat(drover.exit()).as("exit" + context(ansible, drover)).isZero();
        // --diff: the same unified diffs per host (text files, and file's state/mode as JSON), with the same
        // "before" header; Ansible's "after" header for copy content is a temp file on the controller.
        List<String> diffs = diffs(drover.output(), DROVER);
        assertThat(diffs).as("diffs" + context(ansible, drover)).isEqualTo(diffs(ansible.output(), ANSIBLE))
                .hasSize(2 * 6).anyMatch(d -> d.contains("\n-x = 3\n") && d.contains("\n+x = 9"));
        for (String h : HOSTS) {
            assertThat(tree(h, DROVER)).as("check mode changed files on " + h).isEqualTo(treesAfterRun.get(h));
            assertThat(tree(h, ANSIBLE)).as("check mode (ansible) changed files on " + h).isEqualTo(treesAfterRun.get(h));
            assertThat(lab.exec(h, "id " + DROVER + "c 2>&1 || true").stdout()).as("user created in check mode").contains("no such user");
        }
        assertNothingLeft();
    }

    @Test
    @Order(3)
    void droverOnlyModulesBehaveAsDocumented() {
        // expect: Ansible's needs pexpect on the host, which the lab hosts lack; Drover's (docs/modules/expect.md)
        // needs python3 only, answers prompts in order, fails when answers run out, is skipped in check mode.
        Outcome drover = drover("drover_only.yml", DROVER);
        assertThat(drover.exit()).as(drover.output()).isZero();
        for (String h : HOSTS) {
            assertThat(drover.recap()).as(drover.output())
                    .containsEntry(h, "ok=5 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=1");
        }
        String values = String.join("\n", "    \"msg\": [", "        0,", "        \"Name? hi bob\",", "        true,", "        [",
                "            \"a? one\",", "            \"b? two\",", "            \"one-two\"", "        ],", "        true,",
                "        true,", "        \"who? drover\",", "        true", "    ]", "}");
        assertThat(drover.debug()).as(drover.output()).containsExactly(
                "ok: [labhost1] => {\n" + values, "ok: [labhost2] => {\n" + values);
        assertNothingLeft();
    }

    private static void compare(Outcome ansible, Outcome drover) {
        String context = context(ansible, drover);
        assertThat(ansible.exit()).as("ansible-playbook failed" + context).isZero();
        assertThat(drover.recap()).as("recap" + context).isEqualTo(ansible.recap());
        assertThat(drover.debug()).as("printed values" + context).isEqualTo(ansible.debug());
    }

    private static String context(Outcome ansible, Outcome drover) {
        return "\n--- ansible-playbook ---\n" + ansible.output() + "\n--- drover ---\n" + drover.output();
    }

    /**
     * No agent process and no temp file of Drover's on any host: every name Drover gives temp files (atomic writes,
     * links, script and unarchive upload dirs, become uploads). The agent jar in ~/.drover is a cache, not a temp file.
     */
    private static void assertNothingLeft() {
        for (Lab.Host h : lab.hosts()) {
            Lab.Result ps = lab.exec(h.name(), "pgrep -af 'drover-agent-[0-9a-f]' || true");
            assertThat(ps.stdout().trim()).as("agent processes left on " + h.name()).isEmpty();
            Lab.Result tmp = lab.exec(h.name(), "find /tmp /var/tmp /root /home /opt /etc /dev/shm /run -xdev "
                    + "\\( -name '*drover-tmp*' -o -name '.*.drover-ln.*' -o -name 'drover-script.*' -o -name 'drover-unarchive.*' "
                    + "-o -name '.drover-????????' \\) 2>/dev/null || true");
            assertThat(tmp.stdout().trim()).as("temp files left on " + h.name()).isEmpty();
        }
    }

    /** Each diff block ({@code --- before} to the blank line) with the host line that follows it, sorted. */
    private static List<String> diffs(String output, String tok) {
        List<String> lines = output.replace(tok, "TOK").lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("--- before")) continue;
            StringBuilder b = new StringBuilder();
            for (; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                b.append(lines.get(i).startsWith("+++ after") ? "+++ after" : lines.get(i)).append('\n');
            }
            out.add((i + 1 < lines.size() ? lines.get(i + 1) : "?") + "\n" + b);
        }
        Collections.sort(out);
        return out;
    }

    /**
     * A tool's directory on a host: type, mode, owner, group, size and sha1 of each entry (link targets for links),
     * by relative path, with the tool's token and backup timestamps replaced. Archives are listed by content, since
     * their bytes hold mtimes.
     */
    private static Map<String, String> tree(String host, String tok) {
        String script = "cd /opt/e2e-" + tok + " || exit 1; find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r f; do "
                + "if [ -L \"$f\" ]; then printf '%s\\tlink %s\\n' \"$f\" \"$(readlink \"$f\")\"; "
                + "elif [ -d \"$f\" ]; then printf '%s\\t%s\\n' \"$f\" \"$(stat -c 'dir %a %U %G' \"$f\")\"; "
                + "else case \"$f\" in *.tar.gz) s=\"$(tar tzf \"$f\" | LC_ALL=C sort | tr '\\n' ' ')\";; "
                + "*) s=\"$(stat -c '%s' \"$f\") $(sha1sum < \"$f\" | cut -c1-40)\";; esac; "
                + "printf '%s\\t%s\\n' \"$f\" \"$(stat -c 'file %a %U %G' \"$f\") $s\"; fi; done";
        Lab.Result r = lab.exec(host, script).orThrow();
        Map<String, String> m = new TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) continue;
            String norm = BACKUP.matcher(line.replace(tok, "TOK")).replaceAll(".BACKUP~");
            int tab = norm.indexOf('\t');
            m.put(norm.substring(0, tab), norm.substring(tab + 1));
        }
        return m;
    }

    /** Files fetch brought to the controller: relative path to content. */
    private static Map<String, String> fetched(String tok) throws IOException {
        Path root = work.resolve("fetch-" + tok);
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(root)) return m;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString().replace(tok, "TOK"), Files.readString(p));
            }
        }
        return m;
    }

    private static List<String> vars(String tok) {
        return List.of("-e", "tok=" + tok, "-e", "fetch_dir=" + work.resolve("fetch-" + tok),
                "-e", "http_port=" + http.getAddress().getPort(), "-e", "bundle=" + work.resolve("bundle.tar.gz"));
    }

    static Outcome ansible(String playbook, String tok, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), "-f", "10", playbook));
        cmd.addAll(vars(tok));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(lab.ansibleEnv());
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "0");
        // One ssh round trip per task instead of three (no module file to copy): only speed, same results.
        env.put("ANSIBLE_PIPELINING", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ansible-playbook did not finish:\n" + out);
        }
        return parse(p.exitValue(), out, tok);
    }

    static Outcome drover(String playbook, String tok, String... flags) {
        List<String> args = new ArrayList<>(List.of("play", "-i", inventory.toString(), "-f", "10", DIR.resolve(playbook).toString()));
        args.addAll(vars(tok));
        args.addAll(List.of(flags));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int code = Main.run(out, out, args.toArray(String[]::new));
        out.flush();
        return parse(code, bytes.toString(StandardCharsets.UTF_8), tok);
    }

    /** The PLAY RECAP per host and every debug block, sorted, with the tool's token and paths made neutral. */
    static Outcome parse(int exit, String output, String tok) {
        Map<String, String> recap = new TreeMap<>();
        List<String> debug = new ArrayList<>();
        List<String> lines = output.replace(work.resolve("fetch-" + tok).toString(), "FETCH").replace(tok, "TOK").lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher r = RECAP.matcher(line);
            if (r.find()) recap.put(r.group(1), r.group(2).replaceAll("\\s+", " "));
            Matcher d = DEBUG_START.matcher(line);
            if (d.matches()) {
                StringBuilder block = new StringBuilder(line);
                while (++i < lines.size() && !lines.get(i).equals("}")) {
                    block.append('\n').append(NUMERIC_STRING.matcher(lines.get(i)).replaceAll("$1$2"));
                }
                debug.add(block.append("\n}").toString());
            }
        }
        Collections.sort(debug);
        return new Outcome(exit, recap, debug, output);
    }
}
