package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module resolver and its seam: a second source (here a double) plugs in after Drover's own actions. */
class ModuleResolverTest {
    private static final NativeActions NATIVE = new NativeActions(Set.of("command", "copy"), Set.of("debug", "ping"));
    private static final TaskPlace NOWHERE = new TaskPlace(Path.of("/p"), Path.of("/p/pb.yml"), List.of(), List.of());

    /** A module found by a source other than Drover's own (the Python bridge's kind of answer). */
    record Library(String action, Path file) implements ResolvedAction.Provided {}

    /**
     * A source that has the modules of a {@code library/} directory beside the playbook and records every place it
     * was asked about.
     */
    static final class LibrarySource implements ModuleSource {
        final Map<String, TaskPlace> asked = new LinkedHashMap<>();
        final Set<String> modules;

        LibrarySource(Set<String> modules) {
            this.modules = modules;
        }

        @Override
        public ResolvedAction find(String written, TaskPlace place) {
            asked.put(written, place);
            Path library = place.playbookDir().resolve("library");
            if (modules.contains(written)) return new Library(written, library.resolve(written + ".py"));
            return new ResolvedAction.NotFound(written, List.of(library.toString(), "/usr/share/ansible/plugins/modules"));
        }

        @Override
        public Set<String> names() {
            return modules;
        }
    }

    @Test
    void importsAndIncludesAreTheLoadersOwnWhateverTheSourcesSay() {
        LibrarySource library = new LibrarySource(Set.of("import_tasks", "include_role"));
        ModuleResolver r = new ModuleResolver(List.of(library));
        assertThat(r.resolve("ansible.builtin.import_tasks", NOWHERE)).isEqualTo(new ResolvedAction.LoaderAction("import_tasks"));
        assertThat(r.resolve("include_role", NOWHERE)).isEqualTo(new ResolvedAction.LoaderAction("include_role"));
        assertThat(r.resolve("ansible.legacy.import_playbook", NOWHERE))
                .isEqualTo(new ResolvedAction.LoaderAction("import_playbook"));
        assertThat(library.asked).as("no source is asked about the loader's actions").isEmpty();
        assertThat(r.resolve("validate_argument_spec", NOWHERE))
                .isEqualTo(new ResolvedAction.ControllerAction("validate_argument_spec"));
    }

    @Test
    void droversOwnActionsComeFirstThenTheNextSource() {
        LibrarySource library = new LibrarySource(Set.of("copy", "my_module"));
        ModuleResolver r = new ModuleResolver(List.of(NATIVE, library));
        assertThat(r.resolve("copy", NOWHERE)).isEqualTo(new ResolvedAction.NativeModule("copy"));
        assertThat(r.resolve("ansible.builtin.debug", NOWHERE)).isEqualTo(new ResolvedAction.ControllerAction("debug"));
        assertThat(library.asked).isEmpty();
        assertThat(r.resolve("my_module", NOWHERE)).isEqualTo(new Library("my_module", Path.of("/p/library/my_module.py")));
        assertThat(library.asked).containsOnlyKeys("my_module");
        assertThat(r.names()).containsExactly("command", "copy", "debug", "my_module", "ping");
    }

    @Test
    void notFoundNamesTheShortNameAndEveryPlaceLookedIn() {
        ModuleSource elsewhere = new ModuleSource() {
            @Override
            public ResolvedAction find(String written, TaskPlace place) {
                return new ResolvedAction.NotFound(written, List.of("/usr/share/ansible/plugins/modules", "/opt/more"));
            }

            @Override
            public Set<String> names() {
                return Set.of();
            }
        };
        ModuleResolver r = new ModuleResolver(List.of(NATIVE, new LibrarySource(Set.of()), elsewhere));
        assertThat(r.resolve("ansible.builtin.nothing_here", NOWHERE)).isEqualTo(new ResolvedAction.NotFound("nothing_here",
                List.of("/p/library", "/usr/share/ansible/plugins/modules", "/opt/more")));
        assertThat(r.resolve("community.general.pagerduty", NOWHERE).action()).isEqualTo("community.general.pagerduty");
        assertThat(new ModuleResolver(List.of(NATIVE)).resolve("pagerduty", NOWHERE))
                .isEqualTo(new ResolvedAction.NotFound("pagerduty", List.of()));
    }

    @Test
    void nativeActionsTakeShortNamesBuiltinFqcnsAndAnyCollectionsLastPart() {
        assertThat(NATIVE.find("command", NOWHERE)).isEqualTo(new ResolvedAction.NativeModule("command"));
        assertThat(NATIVE.find("ansible.legacy.command", NOWHERE)).isEqualTo(new ResolvedAction.NativeModule("command"));
        assertThat(NATIVE.find("community.general.copy", NOWHERE)).isEqualTo(new ResolvedAction.NativeModule("copy"));
        assertThat(NATIVE.find("ns.coll.ping", NOWHERE)).isEqualTo(new ResolvedAction.ControllerAction("ping"));
        assertThat(NATIVE.find("a.b.c.copy", NOWHERE)).isEqualTo(new ResolvedAction.NotFound("a.b.c.copy", List.of()));
        assertThat(NATIVE.find("ansible.builtin.ns.coll.copy", NOWHERE))
                .isEqualTo(new ResolvedAction.NotFound("ns.coll.copy", List.of()));
        assertThat(new NativeActions(Set.of("ping"), Set.of("ping")).find("ping", NOWHERE))
                .as("the executor runs ping on the controller unless a module is wired")
                .isEqualTo(new ResolvedAction.ControllerAction("ping"));
    }
}
