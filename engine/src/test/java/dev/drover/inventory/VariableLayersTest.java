package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eight inventory variable layers, in Ansible's precedence order (pinned by prec/hosts.ini). */
class VariableLayersTest {
    private static final Path ROOT = AnsibleOracle.ROOT;
    private static final Path PLAYBOOK = ROOT.resolve("prec/playbook");
    private final Inventory inv = new InventoryLoader(ROOT).load(List.of("prec/hosts.ini"));

    @Test
    void layersComeInAnsiblesOrder() {
        List<Map<String, Object>> layers = inv.variableLayers("h1", PLAYBOOK);
        assertThat(layers).hasSize(8);
        // groups of h1 by (depth, priority, name): z (priority 0), b, top, then a (depth 2) wins
        assertThat(layers.get(0)).isEqualTo(Map.of("who", "inventory_a", "from_all", 1, "same_depth", "a",
                "parent_vs_child", "a"));
        assertThat(layers.get(1)).isEqualTo(Map.of("who", "group_vars_all", "gv_all", "inventory"));
        assertThat(layers.get(2)).isEqualTo(Map.of("who", "playbook_group_vars_all", "gv_all", "playbook"));
        // b before a; a's dict replaces b's whole (no merge)
        assertThat(layers.get(3)).isEqualTo(Map.of("who", "group_vars_a", "gv_dict", Map.of("from", "a", "x", 1)));
        assertThat(layers.get(4)).isEqualTo(Map.of("who", "playbook_group_vars_a"));
        assertThat(layers.get(5)).containsOnlyKeys("inventory_file", "inventory_dir");
        assertThat(layers.get(5).get("inventory_file")).isEqualTo(ROOT.resolve("prec/hosts.ini").toString());
        assertThat(layers.get(6)).isEqualTo(Map.of("who", "host_vars_h1"));
        assertThat(layers.get(7)).isEmpty();
    }

    @Test
    void withoutPlaybookDirThePlaybookLayersAreEmpty() {
        List<Map<String, Object>> layers = inv.variableLayers("h2", null);
        assertThat(layers.get(2)).isEmpty();
        assertThat(layers.get(4)).isEmpty();
        assertThat(layers.get(7)).isEmpty();
        assertThat(inv.hostVariables("h2", null)).containsEntry("who", "inventory_host");
        assertThat(inv.hostVariables("h2", PLAYBOOK)).containsEntry("who", "playbook_host_vars_h2");
    }

    /** The merged layers must equal what ansible-inventory --host computes, with and without a playbook dir. */
    @Test
    void mergedLayersEqualAnsible() {
        for (String host : List.of("h1", "h2")) {
            for (Path pb : new Path[] {null, PLAYBOOK}) {
                List<String> args = pb == null ? List.of("-i", "prec/hosts.ini", "--host", host)
                        : List.of("-i", "prec/hosts.ini", "--host", host, "--playbook-dir", pb.toString());
                assertThat(new InventoryOutput(inv, pb, Map.of()).host(host)).as("%s %s", host, pb)
                        .isEqualTo(AnsibleOracle.ansibleInventory(ROOT, args));
            }
        }
    }

    @Test
    void varsFilesAreReadOncePerRun(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hosts"), "[g]\nh\n");
        Files.createDirectories(dir.resolve("group_vars/g"));
        Files.writeString(dir.resolve("group_vars/g/1.yml"), "v: 1\n");
        Inventory loaded = new InventoryLoader(dir).load(List.of("hosts"));
        assertThat(loaded.hostVariables("h", null)).containsEntry("v", 1);
        Files.writeString(dir.resolve("group_vars/g/1.yml"), "v: 2\n");
        // cached: the file is not read again, also not by inventories derived at run time
        assertThat(loaded.hostVariables("h", null)).containsEntry("v", 1);
        assertThat(loaded.withHost("new", List.of("g"), Map.of()).hostVariables("new", null)).containsEntry("v", 1);
        // a new run (a new load) sees the change
        assertThat(new InventoryLoader(dir).load(List.of("hosts")).hostVariables("h", null)).containsEntry("v", 2);
    }

    @Test
    void varsDirectoryFilesAreReadInSortedOrderSkippingOthers(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hosts"), "h\n");
        Path hv = Files.createDirectories(dir.resolve("host_vars/h/sub"));
        Files.writeString(hv.resolve("../b.yaml"), "order: b\nb: 1\n");
        Files.writeString(hv.resolve("../a.yml"), "order: a\na: 1\n");
        Files.writeString(hv.resolve("../c.json"), "{\"order\": \"c\"}");
        Files.writeString(hv.resolve("../d.txt"), "order: d\n");
        Files.writeString(hv.resolve("../e.yml~"), "order: e\n");
        Files.writeString(hv.resolve("z.yml"), "order: z\n");
        Inventory loaded = new InventoryLoader(dir).load(List.of("hosts"));
        assertThat(loaded.hostVariables("h", null)).containsEntry("order", "z").containsEntry("a", 1)
                .containsEntry("b", 1);
        // group_vars/all without extension wins over all.yml (the first name found is the only one read)
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/all"), "pick: bare\n");
        Files.writeString(dir.resolve("group_vars/all.yml"), "pick: yml\n");
        assertThat(new InventoryLoader(dir).load(List.of("hosts")).hostVariables("h", null))
                .containsEntry("pick", "bare");
    }
}
