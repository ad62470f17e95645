package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** copy, template, file and stat against any HostOps. */
abstract class FileModulesContract extends ModuleTestBase {
    final CopyModule copy = new CopyModule();
    final TemplateModule template = new TemplateModule();
    final FileModule file = new FileModule();
    final StatModule stat = new StatModule();

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void copyContentIsIdempotentAndSetsMode() throws Exception {
        Path dest = hostDir().resolve("it's $(weird)\nname");
        ModuleResult r = run(copy, args("content", "hello\n", "dest", dest.toString(), "mode", "0600"));
        assertThat(r.changed()).isTrue();
        assertThat(read(dest)).isEqualTo("hello\n");
        assertThat(perms(dest)).isEqualTo("rw-------");
        assertThat(r.values().get("checksum")).isEqualTo("f572d396fae9206628714fb2ce00f72e94f2258f");
        assertThat(r.values().get("mode")).isEqualTo("0600");
        assertThat(r.values().get("size")).isEqualTo(6L);
        ModuleResult again = run(copy, args("content", "hello\n", "dest", dest.toString(), "mode", "0600"));
        assertThat(again.changed()).isFalse();
        ModuleResult modeOnly = run(copy, args("content", "hello\n", "dest", dest.toString(), "mode", "u=rw,g=r"));
        assertThat(modeOnly.changed()).isTrue();
        assertThat(perms(dest)).isEqualTo("rw-r-----");
    }

    @Test
    void copyCheckModeAndDiffDoNotWrite() throws Exception {
        Path dest = hostDir().resolve("conf");
        Files.writeString(dest, "old\n");
        ModuleResult r = check(copy, args("content", "new\n", "dest", dest.toString()));
        assertThat(r.changed()).isTrue();
        assertThat(read(dest)).isEqualTo("old\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) r.values().get("diff");
        assertThat(d.get("before")).isEqualTo("old\n");
        assertThat(d.get("after")).isEqualTo("new\n");
    }

    @Test
    void copyKeepsModeOfReplacedFileAndBacksUp() throws Exception {
        Path dest = hostDir().resolve("pg_hba.conf");
        Files.writeString(dest, "v1\n");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r-----"));
        ModuleResult r = run(copy, args("content", "v2\n", "dest", dest.toString(), "backup", true));
        assertThat(read(dest)).isEqualTo("v2\n");
        assertThat(perms(dest)).isEqualTo("rw-r-----");
        Path backup = Path.of((String) r.values().get("backup_file"));
        assertThat(read(backup)).isEqualTo("v1\n");
        assertThat(backup.getFileName().toString()).matches("pg_hba\\.conf\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~");
    }

    @Test
    void copyForceNoLeavesExistingFile() throws Exception {
        Path dest = hostDir().resolve("keep");
        Files.writeString(dest, "mine\n");
        assertThat(run(copy, args("content", "theirs\n", "dest", dest.toString(), "force", false)).changed()).isFalse();
        assertThat(read(dest)).isEqualTo("mine\n");
    }

    @Test
    void copyControllerFileAndDirectory() throws Exception {
        Files.createDirectories(controller.resolve("files/conf.d/sub"));
        Files.writeString(controller.resolve("files/a.txt"), "A");
        Files.writeString(controller.resolve("files/conf.d/x.conf"), "X");
        Files.writeString(controller.resolve("files/conf.d/sub/y.conf"), "Y");
        Path d = hostDir();
        ModuleResult one = run(copy, args("src", "a.txt", "dest", d + "/"));
        assertThat(one.changed()).isTrue();
        assertThat(read(d.resolve("a.txt"))).isEqualTo("A");
        assertThat(run(copy, args("src", "conf.d", "dest", d.toString())).changed()).isTrue();
        assertThat(read(d.resolve("conf.d/sub/y.conf"))).isEqualTo("Y");
        assertThat(run(copy, args("src", "conf.d", "dest", d.toString())).changed()).isFalse();
        assertThat(run(copy, args("src", "conf.d/", "dest", d + "/flat")).changed()).isTrue();
        assertThat(read(d.resolve("flat/x.conf"))).isEqualTo("X");
    }

    @Test
    void copyRemoteSrcAndValidate() throws Exception {
        Path d = hostDir();
        Files.writeString(d.resolve("src"), "remote\n");
        assertThat(run(copy, args("src", d + "/src", "remote_src", true, "dest", d + "/dst")).changed()).isTrue();
        assertThat(read(d.resolve("dst"))).isEqualTo("remote\n");
        ModuleResult bad = run(copy, args("content", "x", "dest", d + "/v", "validate", "grep -q never %s"));
        assertThat(bad.failed()).isTrue();
        assertThat((String) bad.values().get("msg")).startsWith("failed to validate");
        assertThat(Files.exists(d.resolve("v"))).isFalse();
        assertThat(run(copy, args("content", "ok", "dest", d + "/v", "validate", "grep -q ok %s")).changed()).isTrue();
    }

    @Test
    void copyToMissingDirectoryFails() throws Exception {
        ModuleResult r = run(copy, args("content", "x", "dest", hostDir() + "/no/such/f"));
        assertThat(r.failed()).isTrue();
        assertThat((String) r.values().get("msg")).contains("does not exist");
    }

    @Test
    void templateRendersVariables() throws Exception {
        Files.createDirectories(controller.resolve("templates"));
        Files.writeString(controller.resolve("templates/pg.conf.j2"), "port = {{ port }}\nlisten = '{{ addr }}'\n");
        vars.put("port", 5433);
        vars.put("addr", "*");
        Path dest = hostDir().resolve("pg.conf");
        ModuleResult r = run(template, args("src", "pg.conf.j2", "dest", dest.toString(), "mode", "0640"));
        assertThat(r.changed()).isTrue();
        assertThat(read(dest)).isEqualTo("port = 5433\nlisten = '*'\n");
        assertThat(perms(dest)).isEqualTo("rw-r-----");
        assertThat(run(template, args("src", "pg.conf.j2", "dest", dest.toString(), "mode", "0640")).changed()).isFalse();
        vars.put("port", 5434);
        ModuleResult c = check(template, args("src", "pg.conf.j2", "dest", dest.toString()));
        assertThat(c.changed()).isTrue();
        assertThat(read(dest)).contains("5433");
    }

    @Test
    void fileDirectoryTouchLinkAbsent() throws Exception {
        Path d = hostDir();
        String dir = d + "/a b/c";
        ModuleResult mk = run(file, args("path", dir, "state", "directory", "mode", "0750"));
        assertThat(mk.changed()).isTrue();
        assertThat(perms(Path.of(dir))).isEqualTo("rwxr-x---");
        assertThat(mk.values().get("state")).isEqualTo("directory");
        assertThat(run(file, args("path", dir, "state", "directory", "mode", "0750")).changed()).isFalse();
        String f = dir + "/f";
        ModuleResult t = run(file, args("path", f, "state", "touch"));
        assertThat(t.changed()).isTrue();
        assertThat(Files.exists(Path.of(f))).isTrue();
        ModuleResult ln = run(file, args("path", d + "/lnk", "src", f, "state", "link"));
        assertThat(ln.changed()).isTrue();
        assertThat(Files.readSymbolicLink(Path.of(d + "/lnk")).toString()).isEqualTo(f);
        assertThat(run(file, args("path", d + "/lnk", "src", f, "state", "link")).changed()).isFalse();
        ModuleResult refuse = run(file, args("path", f, "src", "/etc/hostname", "state", "link"));
        assertThat(refuse.failed()).isTrue();
        ModuleResult rm = run(file, args("path", d + "/a b", "state", "absent"));
        assertThat(rm.changed()).isTrue();
        assertThat(Files.exists(Path.of(dir))).isFalse();
        assertThat(run(file, args("path", d + "/a b", "state", "absent")).changed()).isFalse();
    }

    @Test
    void directoryModeAppliesToEveryCreatedDirectory() throws Exception {
        // Found by the lab e2e suite: Ansible gives the missing parents the mode too; existing ones stay as they are.
        Path d = hostDir();
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        ModuleResult r = run(new FileModule(), args("path", d + "/a/b/c", "state", "directory", "mode", "0750"));
        assertThat(r.changed()).isTrue();
        for (String p : new String[] {"a", "a/b", "a/b/c"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(p)))).as(p).isEqualTo("rwxr-x---");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void fileStateFileOnMissingPathFails() throws Exception {
        String p = hostDir() + "/missing";
        ModuleResult r = run(file, args("path", p, "state", "file"));
        assertThat(r.failed()).isTrue();
        assertThat(r.values().get("msg")).isEqualTo("file (" + p + ") is absent, cannot continue");
    }

    @Test
    void fileRecurseAndCheckMode() throws Exception {
        Path d = hostDir().resolve("tree");
        Files.createDirectories(d.resolve("x/y"));
        Files.writeString(d.resolve("x/y/z"), "z");
        Files.setPosixFilePermissions(d.resolve("x/y/z"), PosixFilePermissions.fromString("rw-rw-rw-"));
        ModuleResult c = check(file, args("path", d.toString(), "state", "directory", "mode", "u=rwX,go=rX", "recurse", true));
        assertThat(c.changed()).isTrue();
        assertThat(perms(d.resolve("x/y/z"))).isEqualTo("rw-rw-rw-");
        assertThat(run(file, args("path", d.toString(), "state", "directory", "mode", "u=rwX,go=rX", "recurse", true))
                .changed()).isTrue();
        assertThat(perms(d.resolve("x/y/z"))).isEqualTo("rw-r--r--");
        assertThat(perms(d.resolve("x/y"))).isEqualTo("rwxr-xr-x");
        assertThat(run(file, args("path", d.toString(), "state", "directory", "mode", "u=rwX,go=rX", "recurse", true))
                .changed()).isFalse();
        ModuleResult cm = check(file, args("path", d + "/new", "state", "directory"));
        assertThat(cm.changed()).isTrue();
        assertThat(Files.exists(d.resolve("new"))).isFalse();
    }

    @Test
    void fileDiffShowsStateChange() throws Exception {
        String p = hostDir() + "/dd";
        ModuleResult r = diff(file, args("path", p, "state", "directory", "mode", "0700"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> d = (Map<String, Map<String, Object>>) r.values().get("diff");
        assertThat(d.get("before")).containsEntry("state", "absent");
        assertThat(d.get("after")).containsEntry("state", "directory").containsEntry("mode", "0700");
    }

    @Test
    void statReportsAnsibleKeys() throws Exception {
        Path d = hostDir();
        Path f = d.resolve("f $x");
        Files.writeString(f, "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) run(stat, args("path", f.toString())).values().get("stat");
        assertThat(s).containsEntry("exists", true).containsEntry("isreg", true).containsEntry("isdir", false)
                .containsEntry("mode", "0644").containsEntry("size", 6L)
                .containsEntry("checksum", "f572d396fae9206628714fb2ce00f72e94f2258f").containsEntry("roth", true)
                .containsEntry("woth", false).containsKeys("uid", "gid", "pw_name", "gr_name", "mtime", "inode");
        Files.createSymbolicLink(d.resolve("l"), f);
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) run(stat, args("path", d + "/l")).values().get("stat");
        assertThat(l).containsEntry("islnk", true).containsEntry("lnk_target", f.toString()).doesNotContainKey("checksum");
        @SuppressWarnings("unchecked")
        Map<String, Object> lf = (Map<String, Object>) run(stat, args("path", d + "/l", "follow", true)).values().get("stat");
        assertThat(lf).containsEntry("islnk", false).containsEntry("isreg", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) run(stat, args("path", d + "/none")).values().get("stat");
        assertThat(m).isEqualTo(Map.of("exists", false));
    }

    @Test
    void copyFollowWritesThroughLinkElseReplacesIt() throws Exception {
        Path d = hostDir();
        Path target = d.resolve("real");
        Files.writeString(target, "old");
        Files.createSymbolicLink(d.resolve("via"), target);
        run(copy, args("content", "new", "dest", d + "/via", "follow", true));
        assertThat(Files.isSymbolicLink(d.resolve("via"))).isTrue();
        assertThat(read(target)).isEqualTo("new");
        run(copy, args("content", "other", "dest", d + "/via"));
        assertThat(Files.isSymbolicLink(d.resolve("via"))).isFalse();
        assertThat(read(target)).isEqualTo("new");
        assertThat(read(d.resolve("via"))).isEqualTo("other");
    }
}
