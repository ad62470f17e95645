package dev.drover.inventory;

import dev.drover.error.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code ansible-inventory --list / --host / --graph} print, byte for byte (without the final newline).
 *
 * @param inventory   the inventory to show
 * @param playbookDir {@code --playbook-dir}: its group_vars/host_vars are added; may be null
 * @param extraVars   {@code -e} variables, which win over everything in host variables
 */
public record InventoryOutput(Inventory inventory, Path playbookDir, Map<String, Object> extraVars) {
    /** Variables ansible-inventory leaves out because Ansible itself sets them (magic and run variables). */
    static final Set<String> INTERNAL_VARS = Set.of("ansible_diff_mode", "ansible_config_file", "ansible_facts",
            "ansible_forks", "ansible_inventory_sources", "ansible_limit", "ansible_playbook_python",
            "ansible_run_tags", "ansible_skip_tags", "ansible_verbosity", "ansible_version", "inventory_dir",
            "inventory_file", "inventory_hostname", "inventory_hostname_short", "groups", "group_names", "omit",
            "playbook_dir");

    /** The variables of one host as --host shows them. */
    public Map<String, Object> hostVars(String host) {
        Map<String, Object> vars = inventory.hostVariables(host, playbookDir);
        vars.putAll(extraVars);
        vars.keySet().removeAll(INTERNAL_VARS);
        return vars;
    }

    /** {@code --host PATTERN}: the pattern must select exactly one host. */
    public String host(String pattern) {
        List<Host> hosts = inventory.select(pattern);
        if (hosts.size() != 1) {
            throw new UserError(null, "--host: expected a pattern matching exactly one host, found "
                    + (hosts.isEmpty() ? "none for '" + pattern + "'" : hosts.size() + " hosts: " + names(hosts)));
        }
        return PyFormat.json(hostVars(hosts.get(0).name()));
    }

    private static String names(List<Host> hosts) {
        List<String> n = new ArrayList<>();
        for (Host h : hosts) n.add(h.name());
        return String.join(", ", n.size() > 5 ? n.subList(0, 5) : n) + (n.size() > 5 ? ", ..." : "");
    }

    /** {@code --list}: groups with their direct hosts and children, and every host's variables in _meta. */
    public String list() {
        Map<String, Object> results = new LinkedHashMap<>();
        formatGroup(inventory.groups().get(InventoryBuilder.ALL), results, new HashSet<>());
        Map<String, Object> hostvars = new TreeMap<>();
        for (String h : inventory.groupHosts(InventoryBuilder.ALL)) {
            Map<String, Object> vars = hostVars(h);
            if (!vars.isEmpty()) hostvars.put(h, vars);
        }
        results.put("_meta", Map.of("hostvars", hostvars));
        return PyFormat.json(results);
    }

    private void formatGroup(Group group, Map<String, Object> results, Set<String> seen) {
        Map<String, Object> entry = new LinkedHashMap<>();
        results.put(group.name(), entry);
        if (!group.name().equals(InventoryBuilder.ALL) && !group.hosts().isEmpty()) entry.put("hosts", group.hosts());
        if (!group.children().isEmpty()) entry.put("children", group.children());
        for (String child : group.children()) {
            if (seen.add(child)) formatGroup(inventory.groups().get(child), results, seen);
        }
        if (entry.isEmpty()) results.remove(group.name());
    }

    /** {@code --graph [GROUP] [--vars]}: the tree ansible-inventory draws. */
    public String graph(String group, boolean showVars) {
        Group start = inventory.groups().get(group);
        if (start == null) {
            throw new UserError(null, "--graph: expected a group name, found '" + group + "'"
                    + dev.drover.error.Suggest.hint(group, inventory.groups().keySet()));
        }
        List<String> lines = new ArrayList<>();
        graphGroup(start, 0, showVars, lines);
        return String.join("\n", lines);
    }

    private void graphGroup(Group group, int depth, boolean showVars, List<String> out) {
        out.add(graphName("@" + group.name() + ":", depth));
        int d = depth + 1;
        for (String kid : group.children()) graphGroup(inventory.groups().get(kid), d, showVars, out);
        if (!group.name().equals(InventoryBuilder.ALL)) {
            for (String h : group.hosts()) {
                out.add(graphName(h, d));
                if (showVars) showVars(hostVars(h), d + 1, out);
            }
        }
        if (showVars) {
            Map<String, Object> vars = inventory.groupVariables(group.name(), playbookDir);
            if (group.priority() != 1) vars.put("ansible_group_priority", group.priority());
            vars.keySet().removeAll(INTERNAL_VARS);
            showVars(vars, d, out);
        }
    }

    private static void showVars(Map<String, Object> vars, int depth, List<String> out) {
        for (Map.Entry<String, Object> e : new TreeMap<>(vars).entrySet()) {
            out.add(graphName("{" + e.getKey() + " = " + PyFormat.str(e.getValue()) + "}", depth));
        }
    }

    private static String graphName(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }
}
