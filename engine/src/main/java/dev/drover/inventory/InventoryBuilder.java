package dev.drover.inventory;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable inventory under construction (Ansible's InventoryData): parsers add to it, {@link #build} checks
 * and freezes it. Used for one load or one runtime change, never shared between threads.
 */
final class InventoryBuilder {
    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    private static final class G {
        final String name;
        final Map<String, Object> vars = new LinkedHashMap<>();
        int priority = 1;
        final List<String> children = new ArrayList<>();
        final List<String> parents = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        final Set<String> hostSet = new HashSet<>(); // membership test without scanning thousands of hosts

        G(String name) {
            this.name = name;
        }
    }

    private static final class H {
        final Map<String, Object> vars = new LinkedHashMap<>();
        final Set<String> groups = new HashSet<>();
    }

    private final Map<String, G> groups = new LinkedHashMap<>();
    private final Map<String, H> hosts = new LinkedHashMap<>();

    InventoryBuilder() {
        addGroup(ALL);
        addGroup(UNGROUPED);
        addChild(ALL, UNGROUPED, null); // from the start, as Ansible does: it stays all's first child
    }

    /** Starts from an existing inventory (for runtime changes such as add_host and group_by). */
    InventoryBuilder(Inventory from) {
        for (Group g : from.groups().values()) {
            G copy = group(g.name());
            copy.vars.putAll(g.vars());
            copy.priority = g.priority();
        }
        for (Host h : from.hosts().values()) hosts.computeIfAbsent(h.name(), n -> new H()).vars.putAll(h.vars());
        for (Group g : from.groups().values()) {
            for (String c : g.children()) addChild(g.name(), c, null);
            for (String h : g.hosts()) addHost(h, g.name(), null, null);
        }
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    boolean hasHost(String name) {
        return hosts.containsKey(name);
    }

    void addGroup(String name) {
        group(name);
    }

    private G group(String name) {
        return groups.computeIfAbsent(name, G::new);
    }

    /**
     * Adds a host (if new) and puts it in {@code group} (if not null). Like Ansible, a port and the
     * inventory_file/inventory_dir variables are only recorded when the host is first seen.
     */
    void addHost(String name, String group, Integer port, Path source) {
        H h = hosts.get(name);
        if (h == null) {
            h = new H();
            hosts.put(name, h);
            h.vars.put("inventory_file", source == null ? null : source.toAbsolutePath().normalize().toString());
            h.vars.put("inventory_dir", source == null ? null
                    : source.toAbsolutePath().normalize().getParent().toString());
            if (port != null) h.vars.put("ansible_port", port);
        }
        if (group != null) {
            G g = group(group);
            if (g.hostSet.add(name)) g.hosts.add(name);
            h.groups.add(group);
        }
    }

    void setHostVar(String host, String key, Object value) {
        hosts.get(host).vars.put(key, value);
    }

    /** Sets a group variable; {@code ansible_group_priority} is kept apart as the group's priority. */
    void setGroupVar(String group, String key, Object value, Position where) {
        G g = group(group);
        if (key.equals("ansible_group_priority")) {
            try {
                g.priority = Integer.parseInt(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                throw UserError.expected(where, "ansible_group_priority of group '" + group + "'", "a whole number", value);
            }
            return;
        }
        g.vars.put(key, value);
    }

    /** Makes child a child of parent; a loop is refused with the position of the declaration that closes it. */
    void addChild(String parent, String child, Position where) {
        G p = group(parent);
        G c = group(child);
        if (p.children.contains(child)) return;
        List<String> path = pathDown(child, parent);
        if (path != null) {
            throw new UserError(where, "cycle in group children: expected groups to form a tree, found "
                    + String.join(" -> ", parentChain(parent, path)));
        }
        p.children.add(child);
        c.parents.add(parent);
    }

    private static List<String> parentChain(String parent, List<String> pathFromChildToParent) {
        List<String> chain = new ArrayList<>();
        chain.add(parent);
        chain.addAll(pathFromChildToParent);
        return chain;
    }

    /** The path from {@code from} down to {@code to} through children, or null when there is none. */
    private List<String> pathDown(String from, String to) {
        Map<String, String> prev = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        prev.put(from, null);
        while (!queue.isEmpty()) {
            String g = queue.poll();
            if (g.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String s = g; s != null; s = prev.get(s)) path.add(0, s);
                return path;
            }
            for (String c : groups.get(g).children) {
                if (!prev.containsKey(c)) {
                    prev.put(c, g);
                    queue.add(c);
                }
            }
        }
        return null;
    }

    /**
     * Ansible's reconcile_inventory, then an immutable {@link Inventory}: top-level groups become children
     * of all, hosts without a group go to ungrouped, hosts with a real group leave ungrouped.
     */
    Inventory build(List<Path> varsDirs, VarsFiles varsFiles) {
        for (G g : List.copyOf(groups.values())) {
            if (!g.name.equals(ALL) && g.parents.isEmpty()) addChild(ALL, g.name, null);
        }
        G ungrouped = groups.get(UNGROUPED);
        for (Map.Entry<String, H> e : hosts.entrySet()) {
            String name = e.getKey();
            Set<String> mine = ancestorsOfHost(e.getValue());
            mine.remove(ALL);
            if (mine.contains(UNGROUPED)) {
                if (mine.size() > 1) {
                    ungrouped.hosts.remove(name);
                    ungrouped.hostSet.remove(name);
                    e.getValue().groups.remove(UNGROUPED);
                }
            } else if (mine.isEmpty()) {
                addHost(name, UNGROUPED, null, null);
            }
        }
        Map<String, Integer> depth = depths();
        Map<String, Group> frozenGroups = new LinkedHashMap<>();
        for (G g : groups.values()) {
            frozenGroups.put(g.name, new Group(g.name, g.vars, g.priority, g.children, g.hosts, depth.get(g.name)));
        }
        Map<String, Host> frozenHosts = new LinkedHashMap<>();
        for (Map.Entry<String, H> e : hosts.entrySet()) {
            frozenHosts.put(e.getKey(), new Host(e.getKey(), e.getValue().vars, false));
        }
        return new Inventory(frozenGroups, frozenHosts, varsDirs, varsFiles);
    }

    private Set<String> ancestorsOfHost(H h) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(h.groups);
        while (!todo.isEmpty()) {
            String g = todo.pop();
            if (out.add(g)) todo.addAll(groups.get(g).parents);
        }
        return out;
    }

    /** Longest path from all, as Ansible's incremental depth tracking ends up computing. */
    private Map<String, Integer> depths() {
        Map<String, Integer> depth = new HashMap<>();
        for (String g : groups.keySet()) depthOf(g, depth);
        return depth;
    }

    private int depthOf(String g, Map<String, Integer> memo) {
        Integer known = memo.get(g);
        if (known != null) return known;
        int d = 0;
        for (String p : groups.get(g).parents) d = Math.max(d, depthOf(p, memo) + 1);
        memo.put(g, d);
        return d;
    }
}
