package dev.drover.cli;

import dev.drover.error.ExitCode;
import dev.drover.error.Position;
import dev.drover.error.UserError;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryLoader;
import dev.drover.inventory.InventoryOutput;
import dev.drover.vault.VaultPasswords;
import dev.drover.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover inventory}: shows an inventory as Drover reads it, in ansible-inventory's formats. */
@Command(name = "inventory", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows the inventory as Drover reads it, in the same format as ansible-inventory,",
                "so the two can be compared with diff."},
        footer = {"", "Examples:",
                "  drover inventory -i hosts.ini --list",
                "  drover inventory -i inventory/ --graph postgres --vars",
                "  drover inventory -i hosts.yml --host db01 --playbook-dir playbooks/"})
public final class InventoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "SOURCE",
            description = "Inventory file, directory, or comma-separated host list (h1,h2,). Repeat to merge.")
    List<String> sources = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--list", description = "All groups and host variables as JSON.")
        boolean list;

        @Option(names = "--graph", arity = "0..1", fallbackValue = "all", paramLabel = "GROUP",
                description = "The group tree starting at GROUP (default: all).")
        String graph;

        @Option(names = "--host", paramLabel = "HOST", description = "The variables of one host as JSON.")
        String host;
    }

    @Option(names = "--vars", description = "With --graph: show variables too.")
    boolean vars;

    @Option(names = "--playbook-dir", paramLabel = "DIR",
            description = "Also read group_vars/ and host_vars/ from this playbook directory.")
    Path playbookDir;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables (key=value ..., a JSON/YAML mapping, or @file); they win over all others.")
    List<String> extraVars = new ArrayList<>();

    @Mixin
    VaultOptions vault = new VaultOptions();

    @Option(names = "-v", description = "More output; -vvv shows stack traces of errors.")
    boolean[] verbose = new boolean[0];

    @Override
    public Integer call() {
        if (vars && action.graph == null) {
            throw new UserError(null, "--vars: expected together with --graph, found it without", ExitCode.BAD_OPTIONS, null);
        }
        // like ansible-inventory, vaulted files are shown decrypted and inline !vault values as their ciphertext
        Inventory inventory = new InventoryLoader(Path.of(""), vault.open(System.getenv(), VaultPasswords.CONSOLE))
                .load(sources);
        InventoryOutput out = new InventoryOutput(inventory, playbookDir, extraVars());
        String text;
        if (action.list) text = out.list();
        else if (action.graph != null) text = out.graph(action.graph, vars);
        else text = out.host(action.host);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }

    private Map<String, Object> extraVars() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String e : extraVars) {
            String s = e.strip();
            Object data;
            if (s.startsWith("@")) {
                data = YamlReader.load(Path.of(s.substring(1)));
            } else if (s.startsWith("{")) {
                data = YamlReader.parse(Path.of("<-e>"), s).toJava();
            } else {
                Map<String, Object> kv = new LinkedHashMap<>();
                for (String token : s.split("\\s+")) {
                    int eq = token.indexOf('=');
                    if (eq <= 0) {
                        throw new UserError(new Position("-e", 0, 0), "expected key=value, found '" + token + "'",
                                ExitCode.BAD_OPTIONS, null);
                    }
                    kv.put(token.substring(0, eq), token.substring(eq + 1));
                }
                data = kv;
            }
            if (data == null) continue;
            if (!(data instanceof Map<?, ?> m)) {
                throw UserError.expected(new Position("-e", 0, 0), "extra variables", "a mapping", data);
            }
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }
}
