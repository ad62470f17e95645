package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** blockinfile, slurp, fetch, script, find, wait_for, service/systemd, user/group, uri, archive, setup, expect. */
abstract class MoreModulesContract extends ModuleTestBase {

    @Test
    void blockinfileInsertReplaceRemove() throws Exception {
        BlockinfileModule m = new BlockinfileModule();
        Path p = hostDir().resolve("pg_hba.conf");
        Files.writeString(p, "local all all peer\nhost all all 0.0.0.0/0 reject\n");
        ModuleResult r = run(m, args("path", p.toString(), "block", "host db app 10.0.0.0/8 scram-sha-256",
                "insertbefore", "^host all all 0"));
        assertThat(r.changed()).isTrue();
        assertThat(r.values().get("msg")).isEqualTo("Block inserted");
        assertThat(read(p)).isEqualTo("local all all peer\n# BEGIN ANSIBLE MANAGED BLOCK\nhost db app 10.0.0.0/8 "
                + "scram-sha-256\n# END ANSIBLE MANAGED BLOCK\nhost all all 0.0.0.0/0 reject\n");
        assertThat(run(m, args("path", p.toString(), "block", "host db app 10.0.0.0/8 scram-sha-256",
                "insertbefore", "^host all all 0")).changed()).isFalse();
        ModuleResult c = check(m, args("path", p.toString(), "block", "x"));
        assertThat(c.changed()).isTrue();
        assertThat(read(p)).contains("scram-sha-256");
        run(m, args("path", p.toString(), "block", "x $(y) 'z'"));
        assertThat(read(p)).contains("# BEGIN ANSIBLE MANAGED BLOCK\nx $(y) 'z'\n# END");
        ModuleResult rm = run(m, args("path", p.toString(), "state", "absent"));
        assertThat(rm.values().get("msg")).isEqualTo("Block removed");
        assertThat(read(p)).isEqualTo("local all all peer\nhost all all 0.0.0.0/0 reject\n");
        ModuleResult created = run(m, args("path", p + ".new", "block", "a", "create", true, "marker", "-- {mark}"));
        assertThat(created.values().get("msg")).isEqualTo("File created");
        assertThat(read(Path.of(p + ".new"))).isEqualTo("-- BEGIN\na\n-- END\n");
    }

    @Test
    void slurpAndFetch() throws Exception {
        Path f = hostDir().resolve("data.bin");
        byte[] data = {0, 1, 2, (byte) 255, 10};
        Files.write(f, data);
        ModuleResult s = run(new SlurpModule(), args("src", f.toString()));
        assertThat(s.values().get("content")).isEqualTo(Base64.getEncoder().encodeToString(data));
        assertThat(s.values().get("encoding")).isEqualTo("base64");
        assertThat(run(new SlurpModule(), args("src", f + ".missing")).failed()).isTrue();
        FetchModule fetch = new FetchModule();
        Path out = tmp.resolve("fetched");
        ModuleResult r = run(fetch, args("src", f.toString(), "dest", out.toString()));
        assertThat(r.changed()).isTrue();
        Path expected = out.resolve("testhost").resolve(f.toString().substring(1));
        assertThat(Files.readAllBytes(expected)).isEqualTo(data);
        assertThat(run(fetch, args("src", f.toString(), "dest", out.toString())).changed()).isFalse();
        ModuleResult flat = run(fetch, args("src", f.toString(), "dest", out + "/flat/", "flat", true));
        assertThat(flat.values().get("dest")).isEqualTo(out.resolve("flat/data.bin").toString());
        assertThat(run(fetch, args("src", "/nonexistent", "dest", out.toString())).failed()).isTrue();
        assertThat(run(fetch, args("src", "/nonexistent", "dest", out.toString(), "fail_on_missing", false)).failed()).isFalse();
    }

    @Test
    void scriptRunsUploadedCopyAndCleansUp() throws Exception {
        Files.createDirectories(controller.resolve("files"));
        Files.writeString(controller.resolve("files/hello.sh"), "#!/bin/sh\necho \"args:$1:$2\"; pwd; echo \"$0\"\n");
        Path d = hostDir();
        ModuleResult r = run(new ScriptModule(), args("_raw_params", "hello.sh 'a b' c chdir=" + d));
        assertThat(r.changed()).isTrue();
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) r.values().get("stdout_lines");
        assertThat(lines.get(0)).isEqualTo("args:a b:c");
        assertThat(lines.get(1)).isEqualTo(d.toRealPath().toString());
        assertThat(host.stat(lines.get(2), false, false).exists()).as("temp copy removed").isFalse();
        assertThat(check(new ScriptModule(), args("_raw_params", "hello.sh")).skipped()).isTrue();
        Files.writeString(controller.resolve("files/fail.sh"), "exit 3\n");
        ModuleResult f = run(new ScriptModule(), args("_raw_params", "fail.sh"));
        assertThat(f.failed()).isTrue();
        assertThat(f.values().get("rc")).isEqualTo(3);
    }

    @Test
    void findByPatternTypeSizeAgeContains() throws Exception {
        Path d = hostDir();
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("a.log"), "ERROR x\n");
        Files.writeString(d.resolve("b.log"), "fine\n");
        Files.writeString(d.resolve("sub/c.log"), "x".repeat(2048));
        Files.writeString(d.resolve(".hidden.log"), "");
        Files.writeString(d.resolve("d.txt"), "");
        FindModule find = new FindModule();
        ModuleResult r = run(find, args("paths", d.toString(), "patterns", "*.log"));
        assertThat(r.values().get("matched")).isEqualTo(2);
        assertThat(run(find, args("paths", d.toString(), "patterns", "*.log", "recurse", true)).values().get("matched")).isEqualTo(3);
        assertThat(run(find, args("paths", d.toString(), "patterns", "*.log", "recurse", true, "hidden", true))
                .values().get("matched")).isEqualTo(4);
        assertThat(run(find, args("paths", d.toString(), "recurse", true, "size", "1k")).values().get("matched")).isEqualTo(1);
        assertThat(run(find, args("paths", d.toString(), "contains", "ERROR.*")).values().get("matched")).isEqualTo(1);
        assertThat(run(find, args("paths", d.toString(), "file_type", "directory")).values().get("matched")).isEqualTo(1);
        assertThat(run(find, args("paths", d.toString(), "age", "1d")).values().get("matched")).isEqualTo(0);
        assertThat(run(find, args("paths", d.toString(), "patterns", "^[ab]\\.log$", "use_regex", true))
                .values().get("matched")).isEqualTo(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> one = ((List<Map<String, Object>>) r.values().get("files")).get(0);
        assertThat(one).containsKeys("path", "mode", "size", "mtime", "pw_name", "isreg");
    }

    @Test
    void waitForPathAndPort() throws Exception {
        WaitForModule w = new WaitForModule();
        Path f = hostDir().resolve("ready");
        Files.writeString(f, "server started on port 5432\n");
        ModuleResult ok = run(w, args("path", f.toString(), "search_regex", "port (\\d+)", "timeout", 5));
        assertThat(ok.failed()).isFalse();
        assertThat(ok.values().get("match_groups")).isEqualTo(List.of("5432"));
        ModuleResult gone = run(w, args("path", f + ".nope", "state", "absent", "timeout", 2));
        assertThat(gone.failed()).isFalse();
        ModuleResult late = run(w, args("path", f + ".nope", "timeout", 1, "sleep", 1));
        assertThat(late.failed()).isTrue();
        assertThat(late.values().get("msg")).isEqualTo("Timeout when waiting for file " + f + ".nope");
        try (ServerSocket s = new ServerSocket(0)) {
            ModuleResult open = run(w, args("port", s.getLocalPort(), "timeout", 10));
            assertThat(open.failed()).as(String.valueOf(open.values())).isFalse();
            ModuleResult stop = run(w, args("port", s.getLocalPort(), "state", "stopped", "timeout", 1));
            assertThat(stop.failed()).isTrue();
            assertThat(stop.values().get("msg")).isEqualTo("Timeout when waiting for 127.0.0.1:" + s.getLocalPort() + " to stop.");
        }
    }

    /** A HostOps that puts a directory of fake tools first on PATH for every command (for systemctl). */
    static HostOps withPath(HostOps inner, Path bin) {
        return new HostOps() {
            public ExecResult exec(ExecSpec spec) throws IOException {
                Map<String, String> env = new HashMap<>(spec.env());
                env.put("PATH", bin + ":" + System.getenv("PATH"));
                return inner.exec(spec.withEnv(env));
            }

            public FileStat stat(String p, boolean c, boolean f) throws IOException {
                return inner.stat(p, c, f);
            }

            public FileStat writeFile(String p, byte[] c, FileAttrs a) throws IOException {
                return inner.writeFile(p, c, a);
            }

            public byte[] readFile(String p) throws IOException {
                return inner.readFile(p);
            }

            public FileStat mkdirs(String p, FileAttrs a) throws IOException {
                return inner.mkdirs(p, a);
            }

            public boolean setAttrs(String p, FileAttrs a) throws IOException {
                return inner.setAttrs(p, a);
            }

            public void symlink(String t, String l) throws IOException {
                inner.symlink(t, l);
            }

            public boolean remove(String p, boolean r) throws IOException {
                return inner.remove(p, r);
            }

            public Map<String, Object> facts() throws IOException {
                return inner.facts();
            }

            public String mode() {
                return inner.mode();
            }

            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Test
    void systemdAndServiceDriveSystemctl() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path state = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(state.resolve("postgresql.exists"), "");
        // A stand-in systemctl keeping unit state in files; it logs every state-changing call.
        Files.writeString(bin.resolve("systemctl"), String.join("\n", "#!/bin/sh",
                "S='" + state + "'; cmd=$1; shift; [ \"$1\" = --no-pager ] && shift; [ \"$1\" = -- ] && shift; u=$1",
                "case $cmd in",
                "is-system-running) echo running;;",
                "show) if [ -f \"$S/$u.exists\" ]; then echo LoadState=loaded; else echo LoadState=not-found; fi;",
                "  if [ -f \"$S/$u.active\" ]; then echo ActiveState=active; else echo ActiveState=inactive; fi;",
                "  echo UnitFileState=$( [ -f \"$S/$u.enabled\" ] && echo enabled || echo disabled);;",
                "is-enabled) [ -f \"$S/$u.enabled\" ] && { echo enabled; exit 0; }; echo disabled; exit 1;;",
                "start|restart|reload) echo \"$cmd $u\" >> \"$S/log\"; touch \"$S/$u.active\";;",
                "stop) echo \"$cmd $u\" >> \"$S/log\"; rm -f \"$S/$u.active\";;",
                "enable) echo \"$cmd $u\" >> \"$S/log\"; touch \"$S/$u.enabled\";;",
                "disable) echo \"$cmd $u\" >> \"$S/log\"; rm -f \"$S/$u.enabled\";;",
                "daemon-reload) echo daemon-reload >> \"$S/log\";;",
                "*) echo \"unknown $cmd\" >&2; exit 1;;",
                "esac", ""));
        Files.setPosixFilePermissions(bin.resolve("systemctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        HostOps real = host;
        host = withPath(real, bin);
        SystemdModule sd = new SystemdModule();
        ModuleResult c = check(sd, args("name", "postgresql", "state", "started", "enabled", true));
        assertThat(c.changed()).isTrue();
        assertThat(Files.exists(state.resolve("log"))).isFalse();
        ModuleResult r = run(sd, args("name", "postgresql", "state", "started", "enabled", true, "daemon_reload", true));
        assertThat(r.changed()).isTrue();
        assertThat(Files.readAllLines(state.resolve("log"))).containsExactly("daemon-reload", "enable postgresql",
                "start postgresql");
        @SuppressWarnings("unchecked")
        Map<String, String> status = (Map<String, String>) r.values().get("status");
        assertThat(status).containsEntry("ActiveState", "active");
        assertThat(run(sd, args("name", "postgresql", "state", "started", "enabled", true)).changed()).isFalse();
        assertThat(run(sd, args("name", "postgresql", "state", "restarted")).changed()).isTrue();
        ModuleResult svc = run(new ServiceModule(), args("name", "postgresql", "state", "stopped"));
        assertThat(svc.changed()).isTrue();
        assertThat(svc.values()).doesNotContainKey("status");
        assertThat(Files.exists(state.resolve("postgresql.active"))).isFalse();
        ModuleResult missing = run(sd, args("name", "nosuch", "state", "started"));
        assertThat(missing.failed()).isTrue();
        assertThat((String) missing.values().get("msg")).contains("Could not find the requested service nosuch");
        host = real;
        withPath(real, bin).close(); // the wrapper shares the real host; closing it twice is harmless for LocalConnection
    }

    @Test
    void userAndGroupLifecycle() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        String name = "drv" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        GroupModule g = new GroupModule();
        UserModule u = new UserModule();
        try {
            assertThat(check(g, args("name", name)).changed()).isTrue();
            assertThat(AccountSupport.getent(host, "group", name)).isNull();
            ModuleResult gr = run(g, args("name", name, "system", true));
            assertThat(gr.changed()).isTrue();
            assertThat(run(g, args("name", name)).changed()).isFalse();
            ModuleResult ur = run(u, args("name", name, "group", name, "shell", "/bin/sh", "home", "/tmp/" + name,
                    "create_home", false, "comment", "Drover test; $(not run)"));
            assertThat(ur.changed()).isTrue();
            assertThat(ur.values()).containsEntry("shell", "/bin/sh").containsEntry("comment", "Drover test; $(not run)");
            assertThat(run(u, args("name", name, "group", name, "shell", "/bin/sh", "comment", "Drover test; $(not run)"))
                    .changed()).isFalse();
            assertThat(run(u, args("name", name, "shell", "/bin/bash")).changed()).isTrue();
            assertThat(AccountSupport.getent(host, "passwd", name)[6]).isEqualTo("/bin/bash");
            assertThat(run(u, args("name", name, "state", "absent")).changed()).isTrue();
            assertThat(run(u, args("name", name, "state", "absent")).changed()).isFalse();
            // userdel also removes the user's private group (USERGROUPS_ENAB); either way it must be gone now.
            assertThat(run(g, args("name", name, "state", "absent")).failed()).isFalse();
            assertThat(AccountSupport.getent(host, "group", name)).isNull();
        } finally {
            host.exec(ExecSpec.argv(List.of("userdel", name)));
            host.exec(ExecSpec.argv(List.of("groupdel", name)));
        }
    }

    @Test
    void uriThroughCurlOnHost() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            String reply = "{\"method\":\"" + ex.getRequestMethod() + "\",\"got\":" + (in.length == 0 ? "null"
                    : new String(in, StandardCharsets.UTF_8)) + ",\"h\":\"" + ex.getRequestHeaders().getFirst("X-T") + "\"}";
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestURI().getQuery() != null ? 503 : 200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
            ModuleResult r = run(new UriModule(), args("url", url, "method", "POST", "body", Map.of("a", "it's $(x)"),
                    "body_format", "json", "headers", Map.of("X-T", "v'1"), "return_content", true));
            assertThat(r.failed()).as(String.valueOf(r.values())).isFalse();
            assertThat(r.values().get("status")).isEqualTo(200);
            assertThat(r.values().get("json")).isEqualTo(Map.of("method", "POST", "got", Map.of("a", "it's $(x)"), "h", "v'1"));
            assertThat(r.values().get("content_type")).isEqualTo("application/json");
            ModuleResult bad = run(new UriModule(), args("url", url + "?fail=1"));
            assertThat(bad.failed()).isTrue();
            assertThat(bad.values().get("status")).isEqualTo(503);
            assertThat(run(new UriModule(), args("url", url + "?fail=1", "status_code", List.of(200, 503))).failed()).isFalse();
            assertThat(check(new UriModule(), args("url", url, "method", "DELETE")).skipped()).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void archiveAndUnarchive() throws Exception {
        Path d = hostDir();
        Files.createDirectories(d.resolve("data/sub"));
        Files.writeString(d.resolve("data/a.conf"), "a");
        Files.writeString(d.resolve("data/sub/b.conf"), "b");
        ArchiveModule ar = new ArchiveModule();
        String dest = d + "/backup.tar.gz";
        ModuleResult r = run(ar, args("path", d + "/data", "dest", dest));
        assertThat(r.changed()).as(String.valueOf(r.values())).isTrue();
        assertThat(run(ar, args("path", d + "/data", "dest", dest)).changed()).isFalse();
        Files.writeString(d.resolve("data/c.conf"), "c");
        assertThat(run(ar, args("path", d + "/data", "dest", dest)).changed()).isTrue();
        Path out = Files.createDirectories(d.resolve("out"));
        UnarchiveModule un = new UnarchiveModule();
        assertThat(check(un, args("src", dest, "dest", out.toString(), "remote_src", true)).changed()).isTrue();
        assertThat(Files.exists(out.resolve("data"))).isFalse();
        ModuleResult x = run(un, args("src", dest, "dest", out.toString(), "remote_src", true, "list_files", true));
        assertThat(x.changed()).isTrue();
        assertThat(read(out.resolve("data/sub/b.conf"))).isEqualTo("b");
        assertThat(String.valueOf(x.values().get("files"))).contains("data/a.conf");
        assertThat(run(un, args("src", dest, "dest", out.toString(), "remote_src", true)).changed()).isFalse();
        Files.createDirectories(controller.resolve("files"));
        Files.copy(Path.of(dest), controller.resolve("files/ctl.tgz"));
        Path out2 = Files.createDirectories(d.resolve("out2"));
        assertThat(run(un, args("src", "ctl.tgz", "dest", out2.toString())).changed()).isTrue();
        assertThat(read(out2.resolve("data/c.conf"))).isEqualTo("c");
        assertThat(run(un, args("src", "ctl.tgz", "dest", out2.toString(), "creates", out2 + "/data")).changed()).isFalse();
    }

    @Test
    void archiveMembersAndStateLikeAnsible() throws Exception {
        // Found by the lab e2e suite: Ansible's archive puts what is below a directory in the archive, not the
        // directory itself, and `state` is what dest now is ("file"), `dest_state` the kind of archive.
        Path d = hostDir();
        Files.createDirectories(d.resolve("data/sub"));
        Files.writeString(d.resolve("data/a.conf"), "a");
        Files.writeString(d.resolve("one.txt"), "1");
        ModuleResult r = run(new ArchiveModule(), args("path", List.of(d + "/data", d + "/one.txt"), "dest", d + "/x.tar.gz"));
        assertThat(r.values()).containsEntry("state", "file").containsEntry("dest_state", "archive");
        ExecResult list = host.exec(ExecSpec.argv(List.of("tar", "tzf", d + "/x.tar.gz")));
        assertThat(list.stdoutText().lines().sorted().toList()).containsExactly("data/a.conf", "data/sub/", "one.txt");
    }

    @Test
    void setupAndPackageFacts() throws Exception {
        ModuleResult s = run(new SetupModule(), args());
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) s.values().get("ansible_facts");
        assertThat(f).containsKeys("ansible_hostname", "ansible_distribution", "ansible_os_family", "ansible_mounts",
                "ansible_memtotal_mb", "ansible_default_ipv4", "ansible_date_time");
        @SuppressWarnings("unchecked")
        Map<String, Object> only = (Map<String, Object>) run(new SetupModule(), args("filter", "ansible_distribution*"))
                .values().get("ansible_facts");
        assertThat(only.keySet()).allMatch(k -> k.startsWith("ansible_distribution") || k.equals("gather_subset")
                || k.equals("module_setup"));
        ExecResult dpkg = host.exec(ExecSpec.argv(List.of("sh", "-c", "command -v dpkg-query || command -v rpm")));
        org.junit.jupiter.api.Assumptions.assumeTrue(dpkg.rc() == 0, "no package manager");
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> pk = (Map<String, List<Map<String, Object>>>)
                ((Map<String, Object>) run(new PackageFactsModule(), args()).values().get("ansible_facts")).get("packages");
        assertThat(pk).isNotEmpty();
        Map<String, Object> first = pk.values().iterator().next().get(0);
        assertThat(first).containsKeys("name", "version", "arch", "source");
    }

    @Test
    void expectAnswersPrompts() throws Exception {
        ExecResult py = host.exec(ExecSpec.argv(List.of("sh", "-c", "command -v python3")));
        org.junit.jupiter.api.Assumptions.assumeTrue(py.rc() == 0, "no python3 on the host");
        String script = "printf \"Password: \"; read p; printf \"Again: \"; read q; echo \"got $p/$q\"";
        ModuleResult r = run(new ExpectModule(), args("command", "sh -c '" + script + "'",
                "responses", Map.of("(?i)password:", "s3cr'et $(x)", "Again:", List.of("two")), "timeout", 10));
        assertThat(r.failed()).as(String.valueOf(r.values())).isFalse();
        assertThat((String) r.values().get("stdout")).endsWith("got s3cr'et $(x)/two");
        ModuleResult t = run(new ExpectModule(), args("command", "sleep 5", "responses", Map.of("x", "y"), "timeout", 1));
        assertThat(t.failed()).isTrue();
        assertThat(t.values().get("msg")).isEqualTo("command exceeded timeout");
    }
}
