package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** add_host and group_by give new inventories; the old snapshot stays as it was. */
class RuntimeChangesTest {
    private final Inventory inv = new InventoryLoader(AnsibleOracle.ROOT).load(List.of("pg/hosts.ini"));

    @Test
    void addHostCreatesHostAndGroupsWithoutTouchingTheOriginal() {
        Inventory next = inv.withHost("pg-new", List.of("primary", "postgres"), Map.of("ansible_host", "10.9.9.9"));
        assertThat(next.host("pg-new").vars()).containsEntry("ansible_host", "10.9.9.9");
        assertThat(next.groupNames("pg-new")).containsExactly("etcd", "postgres", "primary");
        assertThat(next.groups().get("all").children()).contains("primary");
        assertThat(next.groupsMap().get("primary")).containsExactly("pg-new");
        // a direct member of postgres comes before the hosts of its children, as in Ansible's group walk
        assertThat(next.select("postgres")).extracting(Host::name).startsWith("pg-new", "pg-db01");
        assertThat(inv.host("pg-new")).isNull();
        assertThat(inv.groups()).doesNotContainKey("primary");
    }

    @Test
    void addHostWithoutGroupsIsUngroupedAndVarsReplaceKeyByKey() {
        Inventory next = inv.withHost("lonely", List.of(), Map.of("a", 1))
                .withHost("lonely", List.of(), Map.of("b", 2));
        assertThat(next.groupNames("lonely")).containsExactly("ungrouped");
        assertThat(next.host("lonely").vars()).containsEntry("a", 1).containsEntry("b", 2);
        Inventory grouped = next.withHost("lonely", List.of("g"), Map.of());
        assertThat(grouped.groupNames("lonely")).containsExactly("g");
        assertThat(grouped.groupsMap().get("ungrouped")).doesNotContain("lonely");
    }

    @Test
    void groupByAddsMembershipAndParents() {
        Inventory next = inv.withGroupMember("pg_15", "pg-db02", List.of("versions"));
        assertThat(next.groupNames("pg-db02")).contains("pg_15", "versions", "replica");
        assertThat(next.groups().get("versions").children()).containsExactly("pg_15");
        assertThat(next.groups().get("pg_15").depth()).isEqualTo(2);
        assertThat(next.select("versions")).extracting(Host::name).containsExactly("pg-db02");
    }

    @Test
    void groupByRefusesUnknownHostsAndCycles() {
        assertThatThrownBy(() -> inv.withGroupMember("g", "nope", List.of())).isInstanceOf(UserError.class)
                .hasMessageContaining("not in the inventory");
        assertThatThrownBy(() -> inv.withGroupMember("etcd", "pg-db01", List.of("master")))
                .isInstanceOf(UserError.class).hasMessageContaining("cycle in group children");
    }

    @Test
    void groupNamesAndGroupsMapFollowAnsible() {
        assertThat(inv.groupNames("pg-db03")).containsExactly("etcd", "postgres", "replica");
        assertThat(inv.groupNames("localhost")).isEmpty();
        assertThat(inv.groupsMap().keySet()).containsExactly("all", "ungrouped", "master", "replica", "arbiter",
                "backup", "postgres", "etcd");
        assertThat(inv.groupsMap().get("etcd")).containsExactly("pg-arba.example.com", "pg-arbb.example.com",
                "pg-db01", "pg-db02", "pg-db03", "pg-db04", "pg-db05");
    }
}
