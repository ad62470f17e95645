package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Drover's inventory output must equal ansible-inventory's, byte for byte, on the test inventories. */
class InventoryDifferentialTest {
    private static final Path ROOT = AnsibleOracle.ROOT;

    static Stream<Arguments> cases() {
        String pb = ROOT.resolve("pg/playbook").toString();
        return Stream.of(
                Arguments.of("pg/hosts.ini", "--list"),
                Arguments.of("pg/hosts.ini", "--graph --vars"),
                Arguments.of("pg/hosts.ini", "--graph postgres"),
                Arguments.of("pg/hosts.ini", "--list --playbook-dir " + pb),
                Arguments.of("pg/hosts.ini", "--graph --vars --playbook-dir " + pb),
                Arguments.of("yaml/hosts.yml", "--list"),
                Arguments.of("yaml/hosts.yml", "--graph --vars"),
                Arguments.of("dir", "--list"),
                Arguments.of("dir", "--graph --vars"),
                Arguments.of("misc.ini", "--list"),
                Arguments.of("misc.ini", "--graph --vars"),
                Arguments.of("pg/hosts.ini -i yaml/hosts.yml", "--list"),
                Arguments.of("dir -i misc.ini", "--graph --vars"),
                Arguments.of("a.example.com,b:2222,10.0.0.3,", "--list"),
                // INI text in a .yml file, an empty file, host:port twice, [all]/[ungrouped] sections, a host
                // named like a group, priorities in YAML; and the same directory as a source (.ini skipped)
                Arguments.of("edge/ini.yml", "--list"),
                Arguments.of("edge/empty.yml", "--list"),
                Arguments.of("edge/edge.ini", "--graph --vars"),
                Arguments.of("edge/edge.yml", "--graph --vars"),
                Arguments.of("edge", "--list"));
    }

    @ParameterizedTest(name = "-i {0} {1}")
    @MethodSource("cases")
    void sameOutputAsAnsibleInventory(String sources, String args) {
        List<String> argv = new ArrayList<>(List.of("-i"));
        argv.addAll(Arrays.asList(sources.split(" ")));
        argv.addAll(Arrays.asList(args.split(" ")));
        String expected = AnsibleOracle.ansibleInventory(ROOT, argv);
        assertThat(drover(argv)).isEqualTo(expected);
    }

    /** --host for every host of the PostgreSQL inventory, with and without the playbook directory. */
    @Test
    void hostVariablesOfEveryHostMatch() {
        String pb = ROOT.resolve("pg/playbook").toString();
        Inventory inv = new InventoryLoader(ROOT).load(List.of("pg/hosts.ini"));
        for (String host : List.of("pg-db01", "pg-db03", "pg-db05", "pg-arba.example.com", "pg-bak07")) {
            String withPlaybook = AnsibleOracle.ansibleInventory(ROOT,
                    List.of("-i", "pg/hosts.ini", "--host", host, "--playbook-dir", pb));
            assertThat(new InventoryOutput(inv, Path.of(pb), Map.of()).host(host)).as(host).isEqualTo(withPlaybook);
        }
        String plain = AnsibleOracle.ansibleInventory(ROOT, List.of("-i", "pg/hosts.ini", "--host", "pg-db01"));
        assertThat(new InventoryOutput(inv, null, Map.of()).host("pg-db01")).isEqualTo(plain);
    }

    @Test
    void extraVarsWinInHostOutput() {
        List<String> argv = List.of("-i", "pg/hosts.ini", "--host", "pg-db02", "-e", "postgresql_port=1 new=x");
        assertThat(drover(argv)).isEqualTo(AnsibleOracle.ansibleInventory(ROOT, argv));
    }

    /** Runs the real command line (Main) with the working directory as the test inventories' root. */
    private static String drover(List<String> argv) {
        List<String> abs = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            abs.add(argv.get(i));
            if (argv.get(i).equals("-i") && !argv.get(i + 1).contains(",")) {
                abs.add(ROOT.resolve(argv.get(++i)).toString());
            }
        }
        List<String> cli = new ArrayList<>(List.of("inventory"));
        cli.addAll(abs);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run(cli.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        assertThat(code).as("exit code of drover %s", cli).isZero();
        String out = buf.toString(StandardCharsets.UTF_8);
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
