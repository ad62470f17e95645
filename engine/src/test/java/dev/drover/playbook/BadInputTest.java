package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each broken playbook under {@code bad/} must give exit code 4 and exactly one line on standard error,
 * {@code ERROR: file:line:column: message}, without a stack trace. Where ansible-playbook --syntax-check also
 * refuses the file, that is checked too (so we don't refuse what Ansible loads); {@code when: {a: b}},
 * {@code loop: {a: 1}} and {@code order: random} pass Ansible's syntax check and only fail at run time,
 * Drover refuses them earlier.
 */
class BadInputTest {
    private static final String DIR = "src/test/resources/playbook/bad/";

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("malformed_tab.yml", "4:1: invalid YAML: while scanning for the next token: found a tab character;"
                        + " YAML does not allow tabs for indentation, use spaces", true),
                bad("malformed_unclosed.yml", "3:1: invalid YAML: while parsing a flow sequence: expected ',' or ']',"
                        + " but got <stream end>", true),
                bad("unknown_task_keyword.yml", "5:7: 'whne' is not a task keyword; did you mean 'when'?", true),
                bad("unknown_play_keyword.yml", "1:3: 'hsts' is not a play keyword; did you mean 'hosts'?", true),
                bad("unknown_block_keyword.yml", "5:7: 'rescu' is not a valid keyword for block; did you mean 'rescue'?", true),
                bad("when_mapping.yml", "4:13: 'when': expected a condition (a string such as \"x is defined\") or a list"
                        + " of them, found a mapping", false),
                bad("loop_mapping.yml", "4:13: 'loop': expected a list or a template giving a list, found a mapping", false),
                bad("tags_number.yml", "4:13: 'tags': expected a name or a list of names, found 5 (a number)", true),
                bad("register_list.yml", "4:17: 'register': expected a single value, found a list", true),
                bad("vars_not_mapping.yml", "2:9: 'vars': expected a mapping of variables, found a list", true),
                bad("missing_role.yml", "3:7: role 'nosuchrole' not found; searched: " + DIR + "roles, ", true),
                bad("missing_import.yml", "3:7: tasks file 'nosuch.yml' not found; looked for " + DIR + "nosuch.yml", true),
                bad("missing_import_playbook.yml", "1:20: import_playbook: file 'nosuch_playbook.yml' not found (looked for "
                        + DIR + "nosuch_playbook.yml)", true),
                bad("missing_tasks_from.yml", "3:7: role 'r' has no tasks file 'nosuch' (looked for " + DIR
                        + "roles/r/tasks/nosuch with .yml/.yaml/.json)", true),
                bad("import_loop.yml", "3:7: 'loop' cannot be used on 'import_tasks' (imports happen before the run,"
                        + " once); use 'include_tasks' to loop", true),
                bad("two_modules.yml", "5:7: a task can run only one module: found 'command' and 'shell'", true),
                bad("no_module.yml", "3:7: the task has no module (expected a key such as 'command:' or"
                        + " 'ansible.builtin.debug:' besides keywords like name/when/register)", true),
                bad("missing_hosts.yml", "1:3: the play has no 'hosts:' (every play needs a host pattern)", true),
                bad("hosts_empty.yml", "1:10: 'hosts' is an empty list: expected host patterns", true),
                bad("tasks_not_list.yml", "3:5: 'tasks': expected a list of tasks, found a mapping", true),
                bad("task_not_mapping.yml", "3:7: task: expected a mapping such as '- name: ...' with a module, found"
                        + " 'debug' (a string)", true),
                bad("playbook_not_list.yml", "1:1: playbook: expected a list of plays, found a mapping", true),
                bad("extra_params.yml", "3:14: module 'debug' takes key=value arguments, found the free-form text"
                        + " 'hello world' (only command, raw, script, shell, win_command, win_shell and the"
                        + " include/import actions take free-form text)", true),
                bad("unbalanced_quotes.yml", "3:16: unbalanced quotes or Jinja braces in 'echo \"hi'; quote the whole"
                        + " value or close the \" quote", true),
                bad("bad_with_loop.yml", "4:7: unknown loop 'with_itmes'; did you mean 'with_items'?", true),
                bad("include_role_no_name.yml", "3:7: include_role needs 'name:' (the role to include)", true),
                bad("include_role_bad_option.yml", "3:7: 'bogus' is not an option of include_role", true),
                bad("include_tasks_bad_option.yml", "3:7: 'fil' is not an option of include_tasks; did you mean"
                        + " 'file'?", true),
                bad("bad_order.yml", "2:10: 'order': expected one of inventory, reverse_inventory, sorted,"
                        + " reverse_sorted, shuffle, found 'random' (a string)", false));
    }

    private static Arguments bad(String file, String message, boolean ansibleRejects) {
        return Arguments.of(file, message, ansibleRejects);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOnePositionedLine(String file, String message, boolean ansibleRejects) {
        Cli r = Cli.run("play", "--syntax-check", DIR + file);
        assertThat(r.exit()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        String line = r.err().strip();
        String expected = "ERROR: " + DIR + file + ":" + message;
        if (message.endsWith(", ")) {
            assertThat(line).startsWith(expected); // the rest lists machine-specific search directories
        } else {
            assertThat(line).isEqualTo(expected);
        }
        if (ansibleRejects) {
            Path dir = Path.of(DIR).toAbsolutePath();
            Ansible a = Ansible.playbook(dir, List.of("--syntax-check", file));
            assertThat(a.exit()).as("ansible-playbook should refuse " + file + " too").isNotZero();
        }
    }
}
