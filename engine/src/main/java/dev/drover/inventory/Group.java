package dev.drover.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group as the inventory files define it.
 *
 * @param name     group name
 * @param vars     group variables from the inventory file ({@code [g:vars]}, YAML {@code vars:}), without
 *                 {@code ansible_group_priority} which Ansible keeps apart as {@link #priority}
 * @param priority {@code ansible_group_priority} (default 1): orders groups of the same depth
 * @param children direct child group names, in the order they were declared
 * @param hosts    direct member host names, in the order they were declared
 * @param depth    the length of the longest path from {@code all} (all = 0): parents' vars lose to children's
 */
public record Group(String name, Map<String, Object> vars, int priority, List<String> children, List<String> hosts,
                    int depth) {
    public Group {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        children = List.copyOf(children);
        hosts = List.copyOf(hosts);
    }

    @Override
    public String toString() {
        return name;
    }
}
