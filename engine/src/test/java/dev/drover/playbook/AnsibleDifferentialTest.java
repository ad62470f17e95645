package dev.drover.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs ansible-playbook and {@code drover play} on the same playbooks with the same flags and requires the
 * same standard output. Fixtures: {@code installer/} follows the seed installer (roles dispatching on
 * {@code operation_type}, standalone/cluster/recovery plays selected by tags, {@code when: not
 * update_errors.aggregate} on role entries, a collection role by FQCN, import_playbook); {@code features/}
 * covers blocks, nested imports vs includes, handlers, duplicate roles, role dependencies, local_action,
 * legacy include, always/never, several playbooks in one run; {@code nested/} covers roles importing roles.
 *
 * <p>Two normalisations, both for output Ansible prints from a Python set, whose order depends on string
 * hashing and changes between runs: the play line's {@code TAGS: [...]} ({@code ','.join(set(play.tags))})
 * has its items sorted, and the host names under {@code hosts (N):} of --list-hosts
 * ({@code set(inventory.get_hosts(...))}) are sorted; both sides get the same treatment. Ansible's standard
 * error (warnings about the missing inventory or unmatched patterns) is not compared.
 */
class AnsibleDifferentialTest {
    private static final Path FIXTURES = Path.of("src/test/resources/playbook").toAbsolutePath();
    private static final Pattern PLAY_TAGS = Pattern.compile("(?m)^(  play #\\d+ \\(.*\\): .*\\tTAGS: \\[)([^\\]]*)(\\])$");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<String> flagSets = List.of("--syntax-check", "--list-tasks", "--list-tags", "--list-tasks --list-tags",
                "--list-tasks -t standalone", "--list-tasks -t cluster --skip-tags deps", "--list-tasks -t never",
                "--list-tasks -t certs", "--list-tasks -t tagged", "--list-tasks -t untagged",
                "--list-tasks --skip-tags all", "--list-tasks -t all,never --skip-tags always",
                "--list-tasks --list-tags -t minor,checks", "--list-tasks -t scouting");
        for (String flags : flagSets) out.add(Arguments.of("installer", List.of("site.yml"), flags));
        out.add(Arguments.of("installer", List.of("playbook_minor_update.yaml", "playbook_scouting.yaml"),
                "--list-tasks --list-tags"));
        for (String flags : List.of("-i @INV --list-hosts", "-i @INV --list-hosts --list-tasks -t cluster",
                "-i @INV --list-hosts -l replica", "-i @INV -i pg-extra1,pg-extra2, --list-hosts -l pg-db0*:pg-extra1")) {
            out.add(Arguments.of("installer", List.of("site.yml"), flags));
        }
        for (String flags : List.of("--syntax-check", "--list-tasks --list-tags", "--list-tasks -t nested,l2",
                "--list-tasks --skip-tags imported", "--list-tasks -t included", "--list-tasks -t deep",
                "--list-tasks -t never", "--list-tasks -t debug --skip-tags never", "--list-tags -t from_dep",
                "--list-tasks -t action --tags s")) {
            out.add(Arguments.of("features", List.of("main.yml", "second.yml"), flags));
        }
        // nested roles: import_role inside a role, a dependency with tags, main.yaml and extension-less main,
        // roles named with name:, FQCN include actions, import_tasks in handlers
        for (String flags : List.of("--list-tasks --list-tags", "--list-tasks -t dep", "--list-tasks -t x --skip-tags viaouter",
                "--list-tasks --skip-tags a", "--list-tags -t ob,q")) {
            out.add(Arguments.of("nested", List.of("pb.yml"), flags));
        }
        // import names from play vars, role params (one defined through another) and extra vars
        out.add(Arguments.of("templated", List.of("pb.yml"), "--list-tasks"));
        out.add(Arguments.of("templated", List.of("pb.yml"), "--list-tasks -e pv=y"));
        // play name and hosts rendered with play vars, then with extra vars
        out.add(Arguments.of("templated", List.of("hosts.yml"), "--list-tasks"));
        out.add(Arguments.of("templated", List.of("hosts.yml"), "--list-tasks -e target=master"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void sameOutputAsAnsible(String dir, List<String> playbooks, String flags) {
        Path work = FIXTURES.resolve(dir);
        List<String> args = new ArrayList<>(Arrays.asList(
                flags.replace("@INV", work.resolve("inventories/cluster.ini").toString()).split(" ")));
        // absolute paths: Ansible runs in the fixture directory, Drover in the build's directory, and both
        // print the playbook path as given
        playbooks.forEach(p -> args.add(work.resolve(p).toString()));

        Ansible ansible = Ansible.playbook(work, args);
        assertThat(ansible.exit()).as("ansible-playbook exit; stderr:\n" + ansible.err()).isZero();

        List<String> droverArgs = new ArrayList<>();
        droverArgs.add("play");
        droverArgs.addAll(args);
        Cli drover = Cli.run(droverArgs.toArray(String[]::new));
        assertThat(drover.exit()).as("drover exit; stderr:\n" + drover.err()).isZero();
        assertThat(drover.err()).doesNotContain("Exception").doesNotContain("\tat ");

        assertThat(normalise(drover.out())).isEqualTo(normalise(ansible.out()));
        assertThat(ansible.out()).contains("playbook: ");
    }

    /** Sorts what Ansible prints from Python sets (see the class comment). */
    static String normalise(String text) {
        return sortHostLines(sortPlayTags(text));
    }

    private static String sortHostLines(String text) {
        List<String> out = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        boolean inHosts = false;
        for (String line : text.split("\n", -1)) {
            if (inHosts && line.startsWith("      ") && !line.contains("\t")) {
                hosts.add(line);
                continue;
            }
            if (inHosts) {
                hosts.sort(null);
                out.addAll(hosts);
                hosts.clear();
            }
            inHosts = line.matches("    hosts \\(\\d+\\):");
            out.add(line);
        }
        hosts.sort(null);
        out.addAll(hosts);
        return String.join("\n", out);
    }

    private static String sortPlayTags(String text) {
        Matcher m = PLAY_TAGS.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String sorted = m.group(2).isEmpty() ? "" : String.join(",", Arrays.stream(m.group(2).split(",")).sorted().toList());
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + sorted + m.group(3)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
