package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
    private static final Path INSTALLER = Path.of("src/test/resources/playbook/installer");
    private static final Path FEATURES = Path.of("src/test/resources/playbook/features");
    private static final NativeActions NATIVE = new NativeActions(Set.of("command", "shell", "package", "service",
            "template", "lineinfile", "copy", "file"), Set.of("debug", "set_fact", "meta", "ping"));
    private static final ModuleResolver KNOWN = new ModuleResolver(List.of(NATIVE));

    private final PlaybookLoader loader = new PlaybookLoader(KNOWN, List.of(), List.of());

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private List<Task> tasksOf(String yaml) throws IOException {
        Playbook pb = loader.load(write("pb.yml", "- hosts: all\n  tasks:\n" + yaml.indent(4)));
        List<Task> out = new ArrayList<>();
        flatten(pb.plays().get(0).tasks(), out);
        return out;
    }

    private static void flatten(List<TaskItem> items, List<Task> out) {
        for (TaskItem i : items) {
            if (i instanceof Task t) out.add(t);
            else if (i instanceof Block b) {
                flatten(b.block(), out);
                flatten(b.rescue(), out);
                flatten(b.always(), out);
            }
        }
    }

    @Test
    void freeFormArgumentsFollowAnsibleParseKv() throws IOException {
        List<Task> t = tasksOf("""
                - command: echo hi creates=/x chdir=/tmp
                - copy: src=a dest="b c" mode=0644
                - shell: echo {{ a }} b=c "quoted words"
                - debug: msg="{{ x }} y"
                - command: ls -l
                  args:
                    chdir: /tmp
                    creates: /from-args
                - command: ls creates=/from-line
                  args:
                    creates: /from-args
                """);
        assertThat(t.get(0).args()).containsExactly(Map.entry("creates", "/x"), Map.entry("chdir", "/tmp"),
                Map.entry("_raw_params", "echo hi"));
        assertThat(t.get(1).args()).containsExactly(Map.entry("src", "a"), Map.entry("dest", "b c"),
                Map.entry("mode", "0644"));
        assertThat(t.get(2).args()).containsExactly(Map.entry("_raw_params", "echo {{ a }} b=c \"quoted words\""));
        assertThat(t.get(3).args()).containsExactly(Map.entry("msg", "{{ x }} y"));
        assertThat(t.get(4).args()).containsEntry("chdir", "/tmp").containsEntry("creates", "/from-args")
                .containsEntry("_raw_params", "ls -l");
        assertThat(t.get(5).args()).as("the module's own arguments win over args:").containsEntry("creates", "/from-line");
    }

    @Test
    void actionFormsAndFqcnAreNormalised() throws IOException {
        List<Task> t = tasksOf("""
                - ansible.builtin.command: whoami
                - ansible.legacy.shell: id
                - action: shell echo x chdir=/tmp
                - local_action: command hostname
                - action:
                    module: debug
                    msg: hi
                - name: loop
                  debug: var=item
                  with_items: [1, 2]
                  loop_control: {label: "{{ item }}"}
                  register: out
                  until: out is success
                  retries: 3
                """);
        assertThat(t.get(0).action()).isEqualTo("command");
        assertThat(t.get(0).writtenAction()).isEqualTo("ansible.builtin.command");
        assertThat(t.get(1).action()).isEqualTo("shell");
        assertThat(t.get(2).action()).isEqualTo("shell");
        assertThat(t.get(2).args()).containsEntry("_raw_params", "echo x").containsEntry("chdir", "/tmp");
        assertThat(t.get(3).action()).isEqualTo("command");
        assertThat(t.get(3).keywords()).containsEntry("delegate_to", "localhost");
        assertThat(t.get(4).action()).isEqualTo("debug");
        assertThat(t.get(4).args()).containsExactly(Map.entry("msg", "hi"));
        assertThat(t.get(5).keywords()).containsEntry("with_items", List.of(1, 2)).containsEntry("register", "out")
                .containsEntry("retries", 3).containsKey("loop_control").containsKey("until");
        assertThat(t.get(5).displayName()).isEqualTo("loop");
    }

    @Test
    void unknownModulesAreRecordedNotRefused() throws IOException {
        Playbook pb = loader.load(write("pb.yml", """
                - hosts: all
                  tasks:
                    - community.postgresql.postgresql_query: query="select 1"
                    - name: known
                      debug: msg=x
                    - pangolin_status: {}
                """));
        assertThat(pb.unknownModules()).extracting(Task::writtenAction)
                .containsExactly("community.postgresql.postgresql_query", "pangolin_status");
        assertThat(pb.unknownModules().get(0).pos().line()).isEqualTo(3);
        assertThat(pb.unknownModules().get(1).pos().line()).isEqualTo(6);
    }

    @Test
    void collectionModulesMapToKnownShortNames() throws IOException {
        PlaybookLoader l = new PlaybookLoader(new ModuleResolver(List.of(
                new NativeActions(Set.of("postgresql_query"), Set.of()))), List.of(), List.of());
        Playbook pb = l.load(write("pb.yml", "- hosts: all\n  tasks:\n    - community.postgresql.postgresql_query: {}\n"));
        assertThat(pb.unknownModules()).isEmpty();
        assertThat(((Task) pb.plays().get(0).tasks().get(0)).action()).isEqualTo("postgresql_query");
    }

    @Test
    void installerRolesCarryParamsKeywordsDefaultsAndDependencies() {
        Playbook pb = loader.load(INSTALLER.resolve("playbook_minor_update.yaml"));
        Play standalone = pb.plays().get(0);
        assertThat(standalone.name()).isEqualTo("Standalone minor update");
        assertThat(standalone.hosts()).isEqualTo("master");
        assertThat(standalone.tags()).containsExactly("standalone");
        assertThat(standalone.keywords()).containsEntry("gather_facts", false);

        Block dbms = (Block) standalone.roles().get(1);
        assertThat(dbms.implicit()).isTrue();
        assertThat(dbms.keywords()).containsExactly(Map.entry("when", "not update_errors.aggregate"),
                Map.entry("tags", "dbms"));
        RoleRef ref = dbms.role();
        assertThat(ref.name()).isEqualTo("pangolin_dbms");
        assertThat(ref.params()).containsExactly(Map.entry("operation_type", "update_minor"));
        // defaults/main/ is a directory: files merged in sorted order
        assertThat(ref.defaults()).containsEntry("pg_port", 5432).containsEntry("pg_version", "15.5");
        assertThat(ref.vars()).containsEntry("service_name", "pangolin");
        assertThat(ref.dependencies()).extracting(RoleRef::name).containsExactly("common");
        assertThat(ref.dependencies().get(0).params()).containsEntry("operation_type", "prepare");
        assertThat(ref.tasksDir()).isEqualTo(ref.path().resolve("tasks"));

        // the dependency runs first, inside the role's block, with its own entry keywords
        Block dep = (Block) dbms.block().get(0);
        assertThat(dep.role().name()).isEqualTo("common");
        assertThat(dep.keywords()).containsEntry("tags", "deps");
        // import_tasks with when: an implicit block carrying the condition around the imported tasks
        Block install = (Block) dbms.block().get(1);
        assertThat(install.keywords()).containsEntry("when", "operation_type == 'install'");
        Task pkg = (Task) install.block().get(0);
        assertThat(pkg.role()).isSameAs(ref);
        assertThat(pkg.displayName()).isEqualTo("pangolin_dbms : Install packages");
        Task unnamed = (Task) ((Block) standalone.roles().get(3)).block().get(1);
        assertThat(unnamed.displayName()).isEqualTo("ansible.builtin.lineinfile");
        assertThat(unnamed.bannerName()).isEqualTo("configure : ansible.builtin.lineinfile");
        assertThat(pkg.keywords()).containsEntry("notify", "restart pangolin");
        // include_tasks stays a task for the executor
        Task dispatch = (Task) dbms.block().get(3);
        assertThat(dispatch.isDynamicInclude()).isTrue();
        assertThat(dispatch.args()).containsEntry("_raw_params", "{{ operation_type }}.yml");

        // role handlers join the play's handlers
        Task handler = (Task) standalone.handlers().get(0);
        assertThat(handler.name()).isEqualTo("restart pangolin");
        assertThat(handler.keywords()).containsEntry("listen", "pangolin changed");
        assertThat(handler.role().name()).isEqualTo("pangolin_dbms");

        // collection role by FQCN, with its own dependency
        RoleRef certs = ((Block) standalone.roles().get(4)).role();
        assertThat(certs.name()).isEqualTo("bank.pangolin.certs");
        assertThat(certs.dependencies()).extracting(RoleRef::name).containsExactly("bank.pangolin.certs_base");
    }

    @Test
    void rolesRunOncePerPlayUnlessParamsDifferOrDuplicatesAllowed() {
        Playbook cluster = loader.load(INSTALLER.resolve("playbook_minor_update.yaml"));
        List<TaskItem> roles = cluster.plays().get(1).roles();
        assertThat(((Block) roles.get(1)).role().duplicate()).isFalse();
        assertThat(((Block) roles.get(3)).role().duplicate()).as("same role, same params").isTrue();

        Play features = loader.load(FEATURES.resolve("main.yml")).plays().get(0);
        List<Boolean> dups = features.roles().stream().map(b -> ((Block) b).role().duplicate()).toList();
        // dup (allow_duplicates), dup, dup x=1, once, once, once extra=param, web
        assertThat(dups).containsExactly(false, false, false, false, true, false, false);
        assertThat(((Block) features.roles().get(2)).role().params()).containsEntry("x", 1);
        // role handlers first, then the play's
        assertThat(features.handlers()).extracting(h -> ((Task) h).name()).containsExactly("restart web", "play handler");
    }

    /** Cases found by comparing --list-tasks with Ansible on the 137 roles shipped in the ansible 7 package. */
    @Test
    void collectionRoleDetailsMatchAnsible() throws IOException {
        Path roles = tmp.resolve("collections/ansible_collections/ns/coll/roles");
        write("collections/ansible_collections/ns/coll/roles/main/defaults/main.yml", "---\n# only comments\n");
        write("collections/ansible_collections/ns/coll/roles/main/meta/argument_specs.yml",
                "argument_specs:\n  main:\n    short_description: Does things\n    options:\n      port: {type: int}\n");
        write("collections/ansible_collections/ns/coll/roles/main/tasks/main.yml", """
                - name: include a sibling
                  include_role: {name: ns.coll.helper}
                - import_role: {name: helper}
                - import_role: {name: ns.coll.group.nested}
                """);
        write("collections/ansible_collections/ns/coll/roles/helper/tasks/main.yml", "- {name: help, debug: msg=h}\n");
        write("collections/ansible_collections/ns/coll/roles/group/nested/tasks/main.yml", "- {name: deep, debug: msg=d}\n");
        Playbook pb = loader.load(write("pb.yml", "- hosts: all\n  roles: [{role: ns.coll.main, pg_port: 5432}]\n"));
        Block main = (Block) pb.plays().get(0).roles().get(0);
        assertThat(main.role().defaults()).as("a vars file with only comments is empty").isEmpty();
        Task validate = (Task) main.block().get(0);
        assertThat(validate.name()).isEqualTo("Validating arguments against arg spec 'main' - Does things");
        assertThat(validate.action()).isEqualTo("validate_argument_spec");
        assertThat(validate.tags()).containsExactly("always");
        assertThat(validate.args()).containsEntry("provided_arguments", Map.of("pg_port", 5432));
        Task include = (Task) main.block().get(1);
        assertThat(include.displayName()).as("include_role tasks carry no role prefix").isEqualTo("include a sibling");
        assertThat(include.bannerName()).isEqualTo("include a sibling");
        assertThat(((Block) main.block().get(2)).role().name()).as("short name found in the same collection")
                .isEqualTo("ns.coll.helper");
        Block nested = (Block) main.block().get(3);
        assertThat(nested.role().name()).isEqualTo("ns.coll.nested");
        assertThat(nested.role().path()).isEqualTo(roles.resolve("group/nested").toAbsolutePath());
        assertThat(pb.unknownModules()).isEmpty();
    }

    @Test
    void playVarsMayBeAListOfMappings() throws IOException {
        Play p = loader.load(write("pb.yml", "- hosts: all\n  vars:\n    - {a: 1, b: 1}\n    - {b: 2}\n")).plays().get(0);
        assertThat(p.vars()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    }

    @Test
    void aRoleThatRunsOnceBringsItsHandlersOnce() throws IOException {
        write("roles/svc/tasks/main.yml", "- debug: msg=x\n");
        write("roles/svc/handlers/main.yml", "- name: restart svc\n  debug: msg=r\n");
        Play p = loader.load(write("pb.yml", "- hosts: all\n  roles: [svc, svc, {role: svc, svc_port: 1}]\n")).plays().get(0);
        assertThat(p.handlers()).hasSize(2); // the third use has other params: a separate role instance
        assertThat(((Task) p.handlers().get(1)).role().params()).containsEntry("svc_port", 1);
    }

    @Test
    void importPlaybookAppliesTagsVarsAndConditions() throws IOException {
        Playbook site = loader.load(INSTALLER.resolve("site.yml"));
        assertThat(site.plays()).hasSize(5);
        assertThat(site.plays().get(0).tags()).containsExactly("scouting");
        assertThat(site.plays().get(1).vars()).containsEntry("handle_update_errors", true);

        write("inner.yml", "- hosts: db\n  tags: own\n  vars: {a: 1, b: 1}\n  tasks: []\n");
        Playbook pb = loader.load(write("outer.yml",
                "- import_playbook: inner.yml\n  when: run_it\n  tags: [imp]\n  vars: {b: 2}\n"));
        Play p = pb.plays().get(0);
        assertThat(p.importWhen()).containsExactly("run_it");
        assertThat(p.tags()).containsExactly("own", "imp");
        assertThat(p.vars()).containsEntry("a", 1).containsEntry("b", 2);
        assertThat(p.baseDir()).isEqualTo(tmp.toAbsolutePath().normalize());
    }

    @Test
    void runtimeIncludesLoadThroughTheLoader() {
        Playbook pb = loader.load(INSTALLER.resolve("playbook_minor_update.yaml"));
        Play standalone = pb.plays().get(0);
        Block dbms = (Block) standalone.roles().get(1);
        Task dispatch = (Task) dbms.block().get(3);
        // the executor templates "{{ operation_type }}.yml" and asks where it is: the role's tasks/
        Path file = loader.resolveTasksFile("update_minor_shutdown.yml", dispatch, standalone.baseDir());
        assertThat(file).isEqualTo(dbms.role().tasksDir().resolve("update_minor_shutdown.yml").toAbsolutePath().normalize());
        List<TaskItem> items = loader.loadTasksFile(file, dbms.role());
        assertThat(items).extracting(i -> ((Task) i).displayName())
                .containsExactly("pangolin_dbms : Stop every node", "pangolin_dbms : Run the catalog update");
        assertThatThrownBy(() -> loader.resolveTasksFile("nope.yml", dispatch, standalone.baseDir()))
                .isInstanceOf(UserError.class).hasMessageContaining("tasks file 'nope.yml' not found; looked for");

        LoadedRole recovery = loader.loadRole("recovery", "catalog", null, null, null,
                Map.of("recovery_type", "dbms"), standalone.baseDir(), List.of(), dispatch.pos());
        assertThat(recovery.ref().params()).containsEntry("recovery_type", "dbms");
        assertThat(recovery.tasks()).extracting(i -> ((Task) i).name()).containsExactly("Reset the catalog", "Tell people");

        LoadedRole certs = loader.loadRole("certs", null, null, null, null, Map.of(), standalone.baseDir(),
                List.of("bank.pangolin"), dispatch.pos());
        assertThat(certs.ref().name()).as("found through the play's collections keyword").isEqualTo("bank.pangolin.certs");
        assertThat(((Block) certs.tasks().get(0)).role().name()).isEqualTo("bank.pangolin.certs_base");
    }

    @Test
    void runtimeIncludeRefusesUnknownModules() throws IOException {
        Path f = write("inc.yml", "- mystery_module: a=1\n- debug: msg=x\n");
        assertThatThrownBy(() -> loader.loadTasksFile(f, null)).isInstanceOf(UserError.class)
                .hasMessage("unknown module 'mystery_module'");
    }

    @Test
    void blocksKeepRescueAndAlwaysAndLegacyIncludeIsStatic() {
        Play p = loader.load(FEATURES.resolve("main.yml")).plays().get(0);
        Block outer = (Block) p.tasks().get(1);
        assertThat(outer.implicit()).isFalse();
        assertThat(outer.keywords()).containsEntry("tags", List.of("blk")).containsKey("when").containsEntry("name", "outer block");
        assertThat(outer.block()).hasSize(2);
        assertThat(outer.always()).hasSize(1);
        assertThat(((Block) outer.block().get(1)).rescue()).hasSize(1);
        Block legacy = (Block) p.tasks().get(4);
        assertThat(legacy.implicit()).isTrue();
        assertThat(((Task) legacy.block().get(0)).name()).isEqualTo("legacy included");
        assertThat(p.tags()).containsExactly("play1", "shared");
        assertThat(p.hostPatterns()).containsExactly("db1", "db2");
        assertThat(p.hosts()).isEqualTo("db1,db2");
        assertThat(p.name()).isEqualTo("db1,db2");
    }

    @Test
    void importCyclesAndRoleCyclesAreRefused() throws IOException {
        write("a.yml", "- import_tasks: b.yml\n");
        write("b.yml", "- import_tasks: a.yml\n");
        Path pb = write("pb.yml", "- hosts: all\n  tasks:\n    - import_tasks: a.yml\n");
        assertThatThrownBy(() -> loader.load(pb)).isInstanceOf(UserError.class)
                .hasMessageContaining("import cycle: a.yml -> b.yml -> a.yml");
        write("roles/x/meta/main.yml", "dependencies: [y]\n");
        write("roles/y/meta/main.yml", "dependencies: [x]\n");
        Path pb2 = write("pb2.yml", "- hosts: all\n  roles: [x]\n");
        assertThatThrownBy(() -> loader.load(pb2)).isInstanceOf(UserError.class)
                .hasMessageContaining("role dependency cycle");
    }

    @Test
    void rolesPathIsSearchedAfterThePlaybooksRolesDir() throws IOException {
        write("elsewhere/shared/tasks/main.yml", "- debug: msg=shared\n");
        write("roles/shared/tasks/main.yaml", "- debug: msg=local\n");
        PlaybookLoader l = new PlaybookLoader(KNOWN, List.of(tmp.resolve("elsewhere")), List.of());
        Play p = l.load(write("pb.yml", "- hosts: all\n  roles: [shared]\n")).plays().get(0);
        assertThat(((Block) p.roles().get(0)).role().path()).isEqualTo(tmp.resolve("roles/shared").toAbsolutePath());
        Files.delete(tmp.resolve("roles/shared/tasks/main.yaml"));
        Files.delete(tmp.resolve("roles/shared/tasks"));
        Files.delete(tmp.resolve("roles/shared"));
        Play p2 = l.load(tmp.resolve("pb.yml")).plays().get(0);
        assertThat(((Block) p2.roles().get(0)).role().path()).isEqualTo(tmp.resolve("elsewhere/shared").toAbsolutePath());
    }

    @Test
    void aModuleOfAnotherSourceIsATasksModuleAndNotUnknown() throws IOException {
        ModuleResolverTest.LibrarySource library = new ModuleResolverTest.LibrarySource(Set.of("my_module"));
        PlaybookLoader loader = new PlaybookLoader(new ModuleResolver(List.of(NATIVE, library)), List.of(), List.of());
        Playbook pb = loader.load(write("pb.yml", """
                - hosts: all
                  tasks:
                    - name: a custom module
                      my_module: {a: 1}
                      register: r
                    - action: my_module b=2
                    - other_module: {}
                """));
        List<TaskItem> tasks = pb.plays().get(0).tasks();
        Task custom = (Task) tasks.get(0);
        assertThat(custom.resolved()).isEqualTo(new ModuleResolverTest.Library("my_module", tmp.resolve("library/my_module.py").toAbsolutePath()));
        assertThat(custom.action()).isEqualTo("my_module");
        assertThat(custom.args()).containsEntry("a", 1);
        assertThat(((Task) tasks.get(1)).resolved()).isInstanceOf(ModuleResolverTest.Library.class);
        assertThat(((Task) tasks.get(1)).args()).containsEntry("b", "2");
        assertThat(pb.unknownModules()).extracting(Task::writtenAction).containsExactly("other_module");
        assertThat(pb.unknownModules().get(0).resolved()).isEqualTo(new ResolvedAction.NotFound("other_module",
                List.of(tmp.resolve("library").toAbsolutePath().toString(), "/usr/share/ansible/plugins/modules")));
    }

    @Test
    void theSourceIsToldThePlaybookDirTheFileTheRoleChainAndTheCollections() throws IOException {
        write("roles/outer/meta/main.yml", "dependencies: [inner]\ncollections: [my.tools]\n");
        write("roles/outer/tasks/main.yml", "- outer_task: {}\n- import_role: {name: nested}\n");
        write("roles/inner/tasks/main.yml", "- inner_task: {}\n");
        write("roles/nested/tasks/main.yml", "- nested_task: {}\n");
        Path coll = tmp.resolve("collections/ansible_collections/acme/db");
        write("collections/ansible_collections/acme/db/roles/setup/tasks/main.yml", "- coll_task: {}\n");
        write("tasks/more.yml", "- file_task: {}\n");
        Path pb = write("pb.yml", """
                - hosts: all
                  collections: [community.general]
                  roles: [outer, acme.db.setup]
                  tasks:
                    - play_task: {}
                    - own_task: {}
                      collections: [x.y, ansible.builtin]
                    - block:
                        - block_task: {}
                      collections: [b.c]
                    - import_tasks: tasks/more.yml
                """);
        ModuleResolverTest.LibrarySource library = new ModuleResolverTest.LibrarySource(Set.of());
        new PlaybookLoader(new ModuleResolver(List.of(NATIVE, library)), List.of(), List.of()).load(pb);
        Path outer = tmp.resolve("roles/outer").toAbsolutePath();
        Path inner = tmp.resolve("roles/inner").toAbsolutePath();
        Map<String, TaskPlace> asked = library.asked;
        assertThat(new ArrayList<>(asked.keySet())).containsExactly("inner_task", "outer_task", "nested_task",
                "coll_task", "play_task", "own_task", "block_task", "file_task");
        Path dir = pb.getParent();
        assertThat(asked.get("inner_task")).isEqualTo(new TaskPlace(dir, inner.resolve("tasks/main.yml"),
                List.of(inner, outer), List.of()));
        assertThat(asked.get("outer_task")).isEqualTo(new TaskPlace(dir, outer.resolve("tasks/main.yml"),
                List.of(outer), List.of("my.tools", "ansible.legacy")));
        assertThat(asked.get("nested_task").roleDirs()).containsExactly(tmp.resolve("roles/nested").toAbsolutePath(), outer);
        assertThat(asked.get("coll_task")).isEqualTo(new TaskPlace(dir, coll.resolve("roles/setup/tasks/main.yml"),
                List.of(coll.resolve("roles/setup")), List.of("acme.db", "ansible.builtin")));
        assertThat(asked.get("play_task")).isEqualTo(new TaskPlace(dir, pb, List.of(),
                List.of("community.general", "ansible.legacy")));
        assertThat(asked.get("own_task").collections()).containsExactly("x.y", "ansible.builtin");
        assertThat(asked.get("block_task").collections()).containsExactly("b.c", "ansible.legacy");
        assertThat(asked.get("file_task")).isEqualTo(new TaskPlace(dir, tmp.resolve("tasks/more.yml").toAbsolutePath(),
                List.of(), List.of("community.general", "ansible.legacy")));
    }
}
