package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: the same task through {@code ansible localhost} and through Drover, each in its own
 * directory, comparing the deterministic return values and the files left behind. Fails where ansible is absent.
 */
abstract class DifferentialContract extends ModuleTestBase {
    Path ours;
    Path theirs;

    @BeforeEach
    void dirs() throws Exception {
        // A missing oracle fails rather than skips: a skipped differential test would pass without comparing anything.
        assertThat(Ansible.available()).as("ansible is not installed (.ci/install-deps installs it)").isTrue();
        ours = Files.createDirectories(tmp.resolve("ours"));
        theirs = Files.createDirectories(tmp.resolve("theirs"));
    }

    /** Runs in both directories; returns [ansible, drover] with each directory's path replaced by "DIR". */
    List<Map<String, Object>> both(Module m, Function<Path, Map<String, Object>> argsFor, boolean check)
            throws Exception {
        Map<String, Object> a = ansible(m.name(), argsFor.apply(theirs), check);
        ModuleResult d = check ? check(m, argsFor.apply(ours)) : run(m, argsFor.apply(ours));
        return List.of(a, normalise(d.values(), ours));
    }

    /** One ansible run: its normalised result and what its directory held afterwards. */
    private record AnsibleRun(Map<String, Object> result, Map<String, Entry> after) {}

    /** A file, directory or link in a snapshot of "theirs" (paths inside it written as DIR). */
    private record Entry(String type, String perms, byte[] content, String target) {}

    /**
     * Ansible's answers, JVM-wide. The suite runs once per HostOps (agentless, agent) with the very same inputs, and
     * ansible's result depends only on the module, its arguments and the directory's state before the call; so the
     * second suite replays the first one's ansible result and directory state instead of paying ~2 s of ansible
     * start-up per step again. The key holds the whole "before" state: any difference runs ansible for real.
     */
    private static final Map<String, AnsibleRun> ANSIBLE_RUNS = new HashMap<>();

    private Map<String, Object> ansible(String module, Map<String, Object> args, boolean check) throws Exception {
        String key = module + "|" + check + "|" + normalise(args, theirs) + "|" + describe(snapshot(theirs));
        AnsibleRun known;
        synchronized (ANSIBLE_RUNS) {
            known = ANSIBLE_RUNS.get(key);
        }
        if (known != null) {
            restore(theirs, known.after());
            return known.result();
        }
        Map<String, Object> result = normalise(Ansible.run(module, args, check, false), theirs);
        synchronized (ANSIBLE_RUNS) {
            ANSIBLE_RUNS.put(key, new AnsibleRun(result, snapshot(theirs)));
        }
        return result;
    }

    private static Map<String, Entry> snapshot(Path root) throws Exception {
        Map<String, Entry> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, new Entry("link", "", null, Files.readSymbolicLink(p).toString().replace(root.toString(), "DIR")));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(rel, new Entry("dir", perms, null, null));
                } else {
                    // Contents may name the directory (a line or block with a path): stored as DIR like everything else.
                    String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).replace(root.toString(), "DIR");
                    m.put(rel, new Entry("file", perms, text.getBytes(StandardCharsets.ISO_8859_1), null));
                }
            }
        }
        return m;
    }

    private static String describe(Map<String, Entry> snap) {
        StringBuilder b = new StringBuilder();
        snap.forEach((k, e) -> b.append(k).append(' ').append(e.type()).append(' ').append(e.perms()).append(' ')
                .append(e.target()).append(' ').append(e.content() == null ? "" : Arrays.hashCode(e.content()) + ":"
                        + e.content().length).append('\n'));
        return b.toString();
    }

    /** Makes root hold exactly the snapshot (contents, permissions, links); parents before children. */
    private static void restore(Path root, Map<String, Entry> snap) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
        List<String> dirs = new ArrayList<>();
        for (Map.Entry<String, Entry> e : snap.entrySet()) {
            Path p = root.resolve(e.getKey());
            Entry x = e.getValue();
            switch (x.type()) {
                case "dir" -> {
                    Files.createDirectories(p);
                    dirs.add(e.getKey());
                }
                case "link" -> Files.createSymbolicLink(p, Path.of(x.target().replace("DIR", root.toString())));
                default -> {
                    Files.write(p, new String(x.content(), StandardCharsets.ISO_8859_1).replace("DIR", root.toString())
                            .getBytes(StandardCharsets.ISO_8859_1));
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(x.perms()));
                }
            }
        }
        Collections.reverse(dirs); // children's modes first, so a read-only parent is set last
        for (String d : dirs) Files.setPosixFilePermissions(root.resolve(d), PosixFilePermissions.fromString(snap.get(d).perms()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> normalise(Map<String, Object> m, Path dir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) v = s.replace(dir.toString(), "DIR");
            if (v instanceof List<?> l) {
                v = l.stream().map(x -> x instanceof String s ? s.replace(dir.toString(), "DIR")
                        : x instanceof Map<?, ?> xm ? normalise((Map<String, Object>) xm, dir) : x).toList();
            }
            if (v instanceof Map<?, ?> mm) v = normalise((Map<String, Object>) mm, dir);
            if (v instanceof Number n && !(v instanceof Double)) v = n.longValue();
            out.put(e.getKey(), v);
        }
        return out;
    }

    static void same(List<Map<String, Object>> r, String... keys) {
        for (String k : keys) {
            assertThat(r.get(1).get(k)).as("'%s' (ansible: %s; drover: %s)", k, r.get(0), r.get(1))
                    .isEqualTo(r.get(0).get(k));
        }
        assertThat(Boolean.TRUE.equals(r.get(1).get("failed"))).as("failed").isEqualTo(Boolean.TRUE.equals(r.get(0).get("failed")));
        assertThat(Boolean.TRUE.equals(r.get(1).get("changed"))).as("changed").isEqualTo(Boolean.TRUE.equals(r.get(0).get("changed")));
    }

    void sameFiles(String... names) throws Exception {
        for (String n : names) {
            Path a = theirs.resolve(n);
            Path b = ours.resolve(n);
            assertThat(Files.exists(b)).as(n + " exists").isEqualTo(Files.exists(a));
            if (Files.isRegularFile(a)) {
                assertThat(Files.readString(b)).as(n).isEqualTo(Files.readString(a));
                assertThat(Files.getPosixFilePermissions(b)).as(n + " mode").isEqualTo(Files.getPosixFilePermissions(a));
            }
        }
    }

    @Test
    void commandAndShell() throws Exception {
        CommandModule c = new CommandModule();
        ShellModule s = new ShellModule();
        for (String cmd : List.of("echo hello  'big   world'", "false", "sh -c 'echo out; echo err >&2; exit 3'",
                "drover-no-such-program", "printf 'a\\n\\nb\\n\\n\\n'")) {
            same(both(c, d -> args("_raw_params", cmd), false), "rc", "stdout", "stderr", "stdout_lines", "msg", "cmd");
        }
        for (String cmd : List.of("echo $((1+2)) | tr 3 x", "exit 9", "cd /; pwd; echo e >&2")) {
            same(both(s, d -> args("_raw_params", cmd), false), "rc", "stdout", "stderr", "stderr_lines", "msg", "cmd");
        }
        same(both(c, d -> args("_raw_params", "touch " + d + "/x", "creates", d + "/*"), false), "rc", "msg");
        Files.writeString(ours.resolve("y"), "");
        Files.writeString(theirs.resolve("y"), "");
        same(both(c, d -> args("_raw_params", "true", "creates", d + "/y"), false), "rc", "stdout", "msg");
        same(both(c, d -> args("_raw_params", "true", "removes", d + "/nope"), false), "rc", "stdout", "msg");
        same(both(c, d -> args("_raw_params", "pwd", "chdir", d + "/nope"), false), "rc", "msg");
        same(both(c, d -> args("_raw_params", "touch " + d + "/z"), true), "rc", "msg", "skipped");
        same(both(c, d -> args("_raw_params", "cat", "stdin", "in put"), false), "rc", "stdout");
    }

    @Test
    void statKeysAndValues() throws Exception {
        for (Path d : List.of(ours, theirs)) {
            Files.writeString(d.resolve("f"), "hello\n");
            Files.createDirectories(d.resolve("dir"));
            Files.createSymbolicLink(d.resolve("l"), d.resolve("f"));
        }
        StatModule st = new StatModule();
        for (String name : List.of("f", "dir", "l", "missing")) {
            for (boolean follow : List.of(false, true)) {
                List<Map<String, Object>> r = both(st, d -> args("path", d + "/" + name, "follow", follow), false);
                @SuppressWarnings("unchecked")
                Map<String, Object> a = (Map<String, Object>) r.get(0).get("stat");
                @SuppressWarnings("unchecked")
                Map<String, Object> b = (Map<String, Object>) r.get(1).get("stat");
                Set<String> ak = new TreeSet<>(a.keySet());
                Set<String> bk = new TreeSet<>(b.keySet());
                ak.remove("version"); // the inode generation number: ansible reads it with an ioctl
                assertThat(bk).as(name).isEqualTo(ak);
                for (String k : ak) {
                    if (Set.of("atime", "mtime", "ctime", "inode", "dev", "nlink", "size", "blocks").contains(k)) continue;
                    assertThat(b.get(k)).as(name + " follow=" + follow + " " + k).isEqualTo(a.get(k));
                }
            }
        }
    }

    @Test
    void fileAndCopySequences() throws Exception {
        FileModule f = new FileModule();
        CopyModule c = new CopyModule();
        same(both(f, d -> args("path", d + "/a/b", "state", "directory", "mode", "0750"), false), "mode", "state", "path");
        same(both(f, d -> args("path", d + "/a/b", "state", "directory", "mode", "0750"), false), "mode", "state");
        same(both(f, d -> args("path", d + "/a/b", "state", "directory", "mode", "0700"), true), "state");
        same(both(f, d -> args("path", d + "/a/t", "state", "touch"), false), "state", "mode");
        same(both(f, d -> args("path", d + "/a/t", "state", "file", "mode", "u+x"), false), "state", "mode");
        same(both(f, d -> args("path", d + "/a/nope", "state", "file"), false), "msg", "state");
        same(both(f, d -> args("path", d + "/a/ln", "src", d + "/a/t", "state", "link"), false), "state", "src");
        same(both(f, d -> args("path", d + "/a/ln", "src", d + "/a/t", "state", "link"), false), "state");
        same(both(c, d -> args("content", "x = 1\n", "dest", d + "/a/c.conf", "mode", "0640"), false),
                "checksum", "mode", "size", "state", "dest");
        same(both(c, d -> args("content", "x = 1\n", "dest", d + "/a/c.conf", "mode", "0640"), false), "checksum", "mode");
        same(both(c, d -> args("content", "x = 2\n", "dest", d + "/a/c.conf"), true), "checksum");
        same(both(c, d -> args("content", "x = 2\n", "dest", d + "/a/c.conf", "force", false), false), "checksum");
        same(both(c, d -> args("content", "x", "dest", d + "/no/such/dir/f"), false), "msg");
        same(both(f, d -> args("path", d + "/a", "state", "absent"), true), "state");
        sameFiles("a/t", "a/c.conf", "a/b");
        same(both(f, d -> args("path", d + "/a", "state", "absent"), false), "state", "path");
        sameFiles("a");
    }

    @Test
    void lineinfileSequence() throws Exception {
        LineinfileModule l = new LineinfileModule();
        for (Path d : List.of(ours, theirs)) Files.writeString(d.resolve("pg.conf"), "#port = 5432\nport = 5432\n[x]\nend");
        List<Map<String, Object>> steps = List.of(
                args("regexp", "^port", "line", "port = 5433"),
                args("regexp", "^port", "line", "port = 5433"),
                args("line", "listen = '*'", "insertafter", "^#port"),
                args("line", "listen = '*'", "insertafter", "^#port"),
                args("line", "first", "insertbefore", "BOF"),
                args("line", "before x", "insertbefore", "^\\[x\\]"),
                args("line", "tail"),
                args("regexp", "^(port) = (\\d+)", "line", "\\1 = \\2 # kept", "backrefs", true),
                args("regexp", "^nothing(.*)", "line", "\\1", "backrefs", true),
                args("line", "first", "state", "absent"),
                args("regexp", "^#", "state", "absent"),
                args("line", "m", "mode", "0600"),
                args("search_string", "listen", "line", "listen = 'localhost'"));
        for (Map<String, Object> s : steps) {
            same(both(l, d -> {
                Map<String, Object> a = new LinkedHashMap<>(s);
                a.put("path", d + "/pg.conf");
                return a;
            }, false), "msg", "found");
            sameFiles("pg.conf");
        }
        same(both(l, d -> args("path", d + "/new.conf", "line", "x"), false), "msg", "rc");
        same(both(l, d -> args("path", d + "/new.conf", "line", "x", "create", true), true), "msg");
        same(both(l, d -> args("path", d + "/new.conf", "line", "x", "create", true), false), "msg");
        sameFiles("new.conf");
    }

    @Test
    void blockinfileSequence() throws Exception {
        BlockinfileModule b = new BlockinfileModule();
        for (Path d : List.of(ours, theirs)) Files.writeString(d.resolve("hba"), "local all all peer\nhost all all all reject");
        List<Map<String, Object>> steps = List.of(
                args("block", "host db app 10.0.0.0/8 md5"),
                args("block", "host db app 10.0.0.0/8 md5"),
                args("block", "a\nb\n", "insertbefore", "^local"),
                args("block", "z", "marker", "## {mark} other", "insertafter", "^local"),
                args("block", "z", "marker", "## {mark} other", "insertafter", "^local", "mode", "0600"),
                args("state", "absent"),
                args("state", "absent", "marker", "## {mark} other"),
                args("block", "x", "insertbefore", "BOF", "marker_begin", "start", "marker_end", "stop"));
        for (Map<String, Object> s : steps) {
            same(both(b, d -> {
                Map<String, Object> a = new LinkedHashMap<>(s);
                a.put("path", d + "/hba");
                return a;
            }, false), "msg");
            sameFiles("hba");
        }
        same(both(b, d -> args("path", d + "/new", "block", "x"), false), "msg", "rc");
        same(both(b, d -> args("path", d + "/new", "block", "x", "create", true), false), "msg");
        sameFiles("new");
    }

    @Test
    void findAndSlurp() throws Exception {
        for (Path d : List.of(ours, theirs)) {
            Files.createDirectories(d.resolve("sub/deeper"));
            Files.writeString(d.resolve("a.log"), "ERROR one\n");
            Files.writeString(d.resolve("b.log"), "ok\n");
            Files.writeString(d.resolve(".h.log"), "");
            Files.writeString(d.resolve("sub/c.log"), "x".repeat(3000));
            Files.writeString(d.resolve("sub/deeper/d.txt"), "ERROR two\n");
        }
        FindModule f = new FindModule();
        List<Map<String, Object>> cases = List.of(
                args("patterns", "*.log"),
                args("patterns", "*.log", "recurse", true),
                args("patterns", "*.log", "hidden", true),
                args("recurse", true, "contains", "ERROR"),
                args("recurse", true, "size", "2k"),
                args("recurse", true, "size", "-1k"),
                args("file_type", "directory", "recurse", true),
                args("file_type", "any"),
                args("patterns", "[ab].log,*.txt", "recurse", true),
                args("patterns", ".*\\.txt$", "use_regex", true, "recurse", true),
                args("recurse", true, "depth", 1),
                args("excludes", "a*", "patterns", "*.log"));
        for (Map<String, Object> c : cases) {
            List<Map<String, Object>> r = both(f, d -> {
                Map<String, Object> a = new LinkedHashMap<>(c);
                a.put("paths", d.toString());
                return a;
            }, false);
            same(r, "matched", "examined", "msg");
            assertThat(paths(r.get(1))).as(c.toString()).isEqualTo(paths(r.get(0)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> af = (List<Map<String, Object>>) r.get(0).get("files");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> of = (List<Map<String, Object>>) r.get(1).get("files");
            if (!af.isEmpty()) assertThat(new TreeSet<>(of.get(0).keySet())).isEqualTo(new TreeSet<>(af.get(0).keySet()));
        }
        SlurpModule sl = new SlurpModule();
        same(both(sl, d -> args("src", d + "/a.log"), false), "content", "encoding", "source");
        same(both(sl, d -> args("src", d + "/missing"), false), "msg");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> paths(Map<String, Object> result) {
        Set<String> s = new TreeSet<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) result.get("files")) s.add((String) f.get("path"));
        return s;
    }

    @Test
    void symbolicModesRecurseAndDirectoryCopy() throws Exception {
        FileModule f = new FileModule();
        for (Path d : List.of(ours, theirs)) {
            Files.createDirectories(d.resolve("t/x"));
            Files.writeString(d.resolve("t/x/f"), "f");
            Files.writeString(d.resolve("t/g"), "g");
            Files.setPosixFilePermissions(d.resolve("t/g"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        for (String mode : List.of("u=rwX,g=rX,o=", "u=rwX,g=rX,o=", "a+x", "go-w", "o+r", "0700")) {
            same(both(f, d -> args("path", d + "/t", "state", "directory", "recurse", true, "mode", mode), false), "mode");
            sameFiles("t/g", "t/x/f");
            for (Path d : List.of(ours, theirs)) {
                assertThat(Files.getPosixFilePermissions(d.resolve("t/x"))).isNotNull();
            }
            assertThat(Files.getPosixFilePermissions(ours.resolve("t/x")))
                    .isEqualTo(Files.getPosixFilePermissions(theirs.resolve("t/x")));
        }
        for (String mode : List.of("u+x,g-r", "=r", "u=rw,go=r")) {
            same(both(f, d -> args("path", d + "/t/g", "mode", mode), false), "mode", "state");
            sameFiles("t/g");
        }
        CopyModule c = new CopyModule();
        Files.createDirectories(controller.resolve("files/tree/sub"));
        Files.writeString(controller.resolve("files/tree/a"), "a");
        Files.writeString(controller.resolve("files/tree/sub/b"), "b");
        String src = controller.resolve("files/tree").toString();
        same(both(c, d -> args("src", src, "dest", d + "/copied"), false));
        Files.createDirectories(ours.resolve("copied"));
        Files.createDirectories(theirs.resolve("copied"));
        same(both(c, d -> args("src", src, "dest", d + "/copied/"), false));
        same(both(c, d -> args("src", src, "dest", d + "/copied/"), false));
        same(both(c, d -> args("src", src + "/", "dest", d + "/flat/"), false));
        sameFiles("copied/tree/a", "copied/tree/sub/b", "flat/a", "flat/sub/b");
    }
}
