package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lineinfile against any HostOps. */
abstract class LineinfileModuleContract extends ModuleTestBase {
    final LineinfileModule lif = new LineinfileModule();

    Path conf(String text) throws Exception {
        Path p = hostDir().resolve("postgresql.conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void replacesLastRegexpMatchIdempotently() throws Exception {
        Path p = conf("#port = 5432\nport = 5432\nmax_connections = 100\n");
        ModuleResult r = run(lif, args("path", p.toString(), "regexp", "^port\\s*=", "line", "port = 5433"));
        assertThat(r.changed()).isTrue();
        assertThat(r.values().get("msg")).isEqualTo("line replaced");
        assertThat(read(p)).isEqualTo("#port = 5432\nport = 5433\nmax_connections = 100\n");
        assertThat(run(lif, args("path", p.toString(), "regexp", "^port\\s*=", "line", "port = 5433")).changed()).isFalse();
    }

    @Test
    void addsAtEofAddingMissingNewline() throws Exception {
        Path p = conf("a = 1");
        ModuleResult r = run(lif, args("path", p.toString(), "line", "b = 2"));
        assertThat(r.values().get("msg")).isEqualTo("line added");
        assertThat(read(p)).isEqualTo("a = 1\nb = 2\n");
    }

    @Test
    void insertAfterBeforeAndBof() throws Exception {
        Path p = conf("[main]\nx=1\n[other]\n");
        run(lif, args("path", p.toString(), "line", "y=2", "insertafter", "^\\[main\\]"));
        assertThat(read(p)).isEqualTo("[main]\ny=2\nx=1\n[other]\n");
        run(lif, args("path", p.toString(), "line", "z=3", "insertbefore", "^\\[other\\]"));
        assertThat(read(p)).isEqualTo("[main]\ny=2\nx=1\nz=3\n[other]\n");
        run(lif, args("path", p.toString(), "line", "# top", "insertbefore", "BOF"));
        assertThat(read(p)).startsWith("# top\n[main]");
        assertThat(run(lif, args("path", p.toString(), "line", "y=2", "insertafter", "^\\[main\\]")).changed()).isFalse();
    }

    @Test
    void backrefsAndNoMatch() throws Exception {
        Path p = conf("shared_buffers = 128MB\n");
        run(lif, args("path", p.toString(), "regexp", "^(shared_buffers) = .*", "line", "\\1 = 1GB", "backrefs", true));
        assertThat(read(p)).isEqualTo("shared_buffers = 1GB\n");
        ModuleResult none = run(lif, args("path", p.toString(), "regexp", "^nomatch(.*)", "line", "\\1", "backrefs", true));
        assertThat(none.changed()).isFalse();
        assertThat(read(p)).isEqualTo("shared_buffers = 1GB\n");
    }

    @Test
    void absentRemovesEveryMatch() throws Exception {
        Path p = conf("a\nkeep\na\n");
        ModuleResult r = run(lif, args("path", p.toString(), "line", "a", "state", "absent"));
        assertThat(r.values()).containsEntry("found", 2).containsEntry("msg", "2 line(s) removed");
        assertThat(read(p)).isEqualTo("keep\n");
    }

    @Test
    void createCheckModeDiffAndAttrs() throws Exception {
        Path p = hostDir().resolve("new dir/f");
        ModuleResult missing = run(lif, args("path", p.toString(), "line", "x"));
        assertThat(missing.failed()).isTrue();
        assertThat(missing.values().get("msg")).isEqualTo("Destination " + p + " does not exist !");
        ModuleResult c = check(lif, args("path", p.toString(), "line", "x", "create", true));
        assertThat(c.changed()).isTrue();
        assertThat(Files.exists(p)).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.values().get("diff");
        assertThat(d).containsEntry("before", "").containsEntry("after", "x\n");
        ModuleResult made = run(lif, args("path", p.toString(), "line", "x", "create", true, "mode", "0600"));
        assertThat(made.changed()).isTrue();
        assertThat(read(p)).isEqualTo("x\n");
        ModuleResult attr = run(lif, args("path", p.toString(), "line", "x", "mode", "0640"));
        assertThat(attr.values().get("msg")).isEqualTo("ownership, perms or SE linux context changed");
    }

    @Test
    void metacharactersInLineStayLiteral() throws Exception {
        Path p = conf("");
        String line = "archive_command = 'test ! -f /x/%f && cp %p \"$(date)\" `id`'";
        run(lif, args("path", p.toString(), "line", line));
        assertThat(read(p)).isEqualTo(line + "\n");
    }

    @Test
    void editsThroughSymlinkLikeAnsible() throws Exception {
        Path target = conf("a = 1\n");
        Path link = target.resolveSibling("link.conf");
        Files.createSymbolicLink(link, target);
        run(lif, args("path", link.toString(), "line", "b = 2"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(read(target)).isEqualTo("a = 1\nb = 2\n");
    }
}
