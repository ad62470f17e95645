package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing INI, YAML, directories and host lists; every parse error names file:line:column. */
class InventoryLoaderTest {
    @TempDir
    Path dir;

    private Inventory load(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
        return new InventoryLoader(dir).load(List.of(name));
    }

    @Test
    void iniGroupsChildrenVarsAndRanges() throws IOException {
        Inventory inv = load("hosts", """
                solo
                [db]
                db[01:03] ansible_user=pg
                [db:vars]
                port=5432
                [cluster:children]
                db
                """);
        assertThat(inv.groups().keySet()).containsExactly("all", "ungrouped", "db", "cluster");
        assertThat(inv.groups().get("db").hosts()).containsExactly("db01", "db02", "db03");
        assertThat(inv.groups().get("all").children()).containsExactly("ungrouped", "cluster");
        assertThat(inv.groups().get("cluster").children()).containsExactly("db");
        assertThat(inv.groups().get("db").depth()).isEqualTo(2);
        assertThat(inv.groups().get("db").vars()).containsEntry("port", 5432);
        assertThat(inv.host("db02").vars()).containsEntry("ansible_user", "pg");
        assertThat(inv.groupsMap()).containsEntry("ungrouped", List.of("solo"))
                .containsEntry("cluster", List.of("db01", "db02", "db03"))
                .containsEntry("all", List.of("solo", "db01", "db02", "db03"));
        assertThat(inv.groupNames("db01")).containsExactly("cluster", "db");
        assertThat(inv.groupNames("solo")).containsExactly("ungrouped");
    }

    @Test
    void hostLineValuesAreLiteralsAndPortComesFromName() throws IOException {
        Inventory inv = load("hosts", "h:2222 a=1 b=True c=\"x y\" d='5' e=yes f=[1,2] g=01 h=-2.5\n");
        assertThat(inv.host("h").vars()).containsEntry("ansible_port", 2222).containsEntry("a", 1)
                .containsEntry("b", true).containsEntry("c", "x y").containsEntry("d", 5).containsEntry("e", "yes")
                .containsEntry("f", List.of(1, 2)).containsEntry("g", "01").containsEntry("h", -2.5);
    }

    @Test
    void childrenMayBeDeclaredBeforeTheirGroup() throws IOException {
        Inventory inv = load("hosts", "[parent:children]\nkid\n[kid]\nk1\n[kid:vars]\nv=1\n");
        assertThat(inv.groupHosts("parent")).containsExactly("k1");
    }

    @Test
    void yamlInventoryWithNestedChildrenAndHostPorts() throws IOException {
        Inventory inv = load("inv.yml", """
                all:
                  hosts:
                    "jump:2200":
                  children:
                    pg:
                      vars: {v: 1}
                      children:
                        master:
                          hosts:
                            m[1:2]: {role: master}
                """);
        assertThat(inv.host("jump").vars()).containsEntry("ansible_port", 2200);
        assertThat(inv.groupNames("jump")).containsExactly("ungrouped");
        assertThat(inv.groupHosts("pg")).containsExactly("m1", "m2");
        assertThat(inv.host("m2").vars()).containsEntry("role", "master");
    }

    @Test
    void directorySourceSkipsIgnoredFilesAndMergesInNameOrder() throws IOException {
        Files.writeString(dir.resolve("b-second"), "[g]\nh2\n");
        Files.writeString(dir.resolve("a-first.yml"), "g:\n  hosts:\n    h1:\n");
        for (String ignored : List.of("c.ini", "d.txt", "e~", "f.bak", ".hidden", "g.orig", "h.retry", "i.md")) {
            Files.writeString(dir.resolve(ignored), "[bad]\nnope\n");
        }
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/g.yml"), "x: 1\n");
        Inventory inv = new InventoryLoader(dir).load(List.of("."));
        assertThat(inv.hosts().keySet()).containsExactly("h1", "h2");
        assertThat(inv.hostVariables("h2", null)).containsEntry("x", 1);
    }

    @Test
    void inlineHostListsAndSeveralSourcesMerge() throws IOException {
        Files.writeString(dir.resolve("a"), "[g]\nh1 v=a\n");
        Files.writeString(dir.resolve("b"), "[g]\nh1 v=b\nh2\n");
        Inventory inv = new InventoryLoader(dir).load(List.of("a", "b", "x1, x2:2022,"));
        assertThat(inv.hosts().keySet()).containsExactly("h1", "h2", "x1", "x2");
        assertThat(inv.host("h1").vars()).containsEntry("v", "b");
        assertThat(inv.host("x2").vars()).containsEntry("ansible_port", 2022);
        assertThat(inv.groupHosts("ungrouped")).containsExactly("x1", "x2");
    }

    @Test
    void missingSourceIsAnError() {
        assertThatThrownBy(() -> new InventoryLoader(dir).load(List.of("nope.ini")))
                .isInstanceOf(UserError.class).hasMessageContaining("no such file");
    }

    /** Bad input → the message and the exact position (line:column) of the mistake. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "hosts     | [db]\\ndb[01:3]\\n                       | 2:1  | expected begin and end of the same length",
            "hosts     | [db]\\n  web[1:]\\n                      | 2:3  | expected an end value",
            "hosts     | [db]\\nweb[a:5]\\n                       | 2:1  | expected numbers or single letters",
            "hosts     | [db]\\nweb[5:1]\\n                       | 2:1  | expected begin <= end",
            "hosts     | [db]\\nweb[1:3:0]\\n                     | 2:1  | expected a step of 1 or more",
            "hosts     | \\n[db:weird]\\nx\\n                     | 2:5  | expected a section type",
            "hosts     | [a:children]\\nb\\n[b:children]\\na\\n   | 4:1  | cycle in group children",
            "hosts     | [a:children]\\na\\n                      | 2:1  | cycle in group children",
            "hosts     | [db]\\nh1 novalue\\n                     | 2:4  | expected key=value host variable",
            "hosts     | [g:vars]\\nx=1\\n                        | 1:1  | undefined group 'g'",
            "hosts     | [g:children]\\nnope\\n[h]\\n              | 2:1  | undefined group 'nope'",
            "hosts     | [ db ]\\nh\\n                            | 1:1  | expected a section header",
            "hosts     | h1 a=\"unclosed\\n                      | 1:1  | No closing quotation",
            "hosts     | [g:vars]\\nnovalue\\n[g]\\n               | 2:1  | expected key=value",
            "hosts     | [g]\\nh1:\\n                              | 2:1  | expected a port number",
            "inv.yml   | all:\\n  hosts:\\n    h1: [1, 2]\\n       | 3:9  | expected a mapping of host variables",
            "inv.yml   | all:\\n  children:\\n    a:\\n      hosts: [h1]\\n | 4:14 | 'hosts' of group 'a': expected a mapping",
            "inv.yml   | all:\\n  hots:\\n    h1:\\n               | 2:3  | did you mean 'hosts'?",
            "inv.yml   | - a\\n- b\\n                             | 1:1  | expected a mapping of group names",
            "inv.yml   | all:\\n  hosts:\\n    42:\\n              | 3:5  | a string (quote numbers)",
            "inv.yml   | g: [x]\\n                                | 1:4  | group 'g': expected a mapping",
            "inv.yml   | all:\\n  hosts:\\n    h1:\\n    h1:\\n     | 4:5  | duplicate key 'h1'",
            "inv.yml   | plugin: aws_ec2\\n                       | 1:1  | inventory plugin configuration",
    })
    void badInputNamesTheSpot(String file, String text, String position, String message) throws IOException {
        Files.writeString(dir.resolve(file), text.replace("\\n", "\n"));
        assertThatThrownBy(() -> new InventoryLoader(dir).load(List.of(file)))
                .isInstanceOfSatisfying(UserError.class, e -> {
                    assertThat(e.render()).contains(file + ":" + position + ": ").contains(message);
                    assertThat(e.position().line() + ":" + e.position().column()).isEqualTo(position);
                    assertThat(e.position().file()).endsWith(file);
                });
    }

    @Test
    void groupVarsFileThatIsNotAMappingIsAnError() throws IOException {
        Files.writeString(dir.resolve("hosts"), "[g]\nh\n");
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/g.yml"), "- not\n- a mapping\n");
        Inventory inv = new InventoryLoader(dir).load(List.of("hosts"));
        assertThatThrownBy(() -> inv.variableLayers("h", null)).isInstanceOfSatisfying(UserError.class,
                e -> assertThat(e.render()).matches(".*g\\.yml:1:1: variables file: expected a mapping.*found a list"));
    }

    @Test
    void groupPriorityMustBeANumber() throws IOException {
        assertThatThrownBy(() -> load("hosts", "[g]\nh\n[g:vars]\nansible_group_priority=high\n"))
                .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.render()).contains("hosts:4:1:")
                        .contains("expected a whole number"));
    }
}
