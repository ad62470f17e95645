package dev.drover.inventory;

import dev.drover.error.ExitCode;
import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable inventory: groups, hosts, and where its group_vars/host_vars live.
 *
 * <p>Runtime changes ({@code add_host}, {@code group_by}) return a new Inventory ({@link #withHost},
 * {@link #withGroupMember}) instead of mutating this one: tasks running on other hosts at the same time keep
 * a consistent snapshot, and the executor publishes the new one (e.g. through an AtomicReference) when the
 * task finishes, as Ansible does between tasks. The vars-file cache is shared by every copy, so files are
 * still read once per run.
 */
public final class Inventory {
    /** Names Ansible treats as the implicit localhost when they are not in the inventory. */
    public static final Set<String> LOCALHOST_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final Map<String, Group> groups;
    private final Map<String, Host> hosts;
    private final List<Path> varsDirs;
    private final VarsFiles varsFiles;
    private final Map<String, Set<String>> hostGroups = new LinkedHashMap<>();
    private final Map<String, List<String>> groupHostsCache = new ConcurrentHashMap<>();
    private final Map<List<Object>, List<Map<String, Object>>> layersCache = new ConcurrentHashMap<>();

    Inventory(Map<String, Group> groups, Map<String, Host> hosts, List<Path> varsDirs, VarsFiles varsFiles) {
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        this.varsDirs = List.copyOf(varsDirs);
        this.varsFiles = varsFiles;
        Map<String, List<String>> parents = new HashMap<>();
        for (Group g : groups.values()) {
            for (String c : g.children()) parents.computeIfAbsent(c, k -> new ArrayList<>()).add(g.name());
        }
        Map<String, Set<String>> groupAncestors = new HashMap<>();
        for (Group g : groups.values()) {
            Set<String> up = groupAncestors.computeIfAbsent(g.name(), n -> ancestors(n, parents));
            for (String h : g.hosts()) hostGroups.computeIfAbsent(h, k -> new HashSet<>()).addAll(up);
        }
    }

    /** Every group by name, in the order they were first declared ({@code all}, {@code ungrouped} first). */
    public Map<String, Group> groups() {
        return groups;
    }

    /** Every host by name, in the order they were first declared. The implicit localhost is not here. */
    public Map<String, Host> hosts() {
        return hosts;
    }

    /** The directories whose group_vars/ and host_vars/ belong to this inventory (one per file source). */
    public List<Path> varsDirs() {
        return varsDirs;
    }

    /**
     * A host by name, or null when there is no such host. A localhost name that is not in the inventory
     * stands, like in Ansible, for the first localhost-like host the inventory does have (say {@code ::1}),
     * or else for the implicit localhost.
     */
    public Host host(String name) {
        Host h = hosts.get(name);
        if (h != null) return h;
        if (!LOCALHOST_NAMES.contains(name)) return null;
        for (Host candidate : hosts.values()) {
            if (LOCALHOST_NAMES.contains(candidate.name())) return candidate;
        }
        return implicitLocalhost(name);
    }

    private Host implicitLocalhost(String name) {
        Map<String, Object> vars = new LinkedHashMap<>(groups.get(InventoryBuilder.ALL).vars());
        vars.put("ansible_connection", "local");
        return new Host(name, vars, true);
    }

    /** The hosts a pattern selects (see {@link HostPattern}); empty when nothing matches (callers warn). */
    public List<Host> select(String pattern) {
        return HostPattern.parse(pattern).evaluate(this);
    }

    /** {@link #select(String)} for a pattern written in a file (a play's hosts:): errors name that place. */
    public List<Host> select(String pattern, Position where) {
        try {
            return select(pattern);
        } catch (UserError e) {
            throw e.position() == null ? new UserError(where, e.getMessage(), e) : e;
        }
    }

    /**
     * {@code --limit}: the hosts of {@code selected} that the limit expression (same syntax as patterns, plus
     * {@code @file} with one pattern per line, relative to the working directory) also selects.
     */
    public List<Host> limit(List<Host> selected, String limitExpr) {
        return limit(selected, limitExpr, Path.of(""));
    }

    /** {@link #limit(List, String)} with {@code @file} paths resolved against {@code baseDir}. */
    public List<Host> limit(List<Host> selected, String limitExpr, Path baseDir) {
        Set<String> allowed = new HashSet<>();
        HostPattern limit;
        try {
            limit = HostPattern.parseLimit(limitExpr, baseDir);
        } catch (UserError e) { // the option is wrong (exit 5), unless the error is in a limit file it names
            throw e.position() != null ? e : new UserError(null, "--limit: " + e.getMessage(), ExitCode.BAD_OPTIONS, e);
        }
        for (Host h : limit.evaluate(this)) allowed.add(h.name());
        return selected.stream().filter(h -> allowed.contains(h.name())).toList();
    }

    /**
     * The hosts of a group and all its descendants, without repeats, in Ansible's order: the group's own
     * hosts, then its children's, then grandchildren's (level by level). The implicit localhost is never in it.
     */
    public List<String> groupHosts(String group) {
        if (!groups.containsKey(group)) return List.of();
        return groupHostsCache.computeIfAbsent(group, this::walkHosts);
    }

    private List<String> walkHosts(String group) {
        List<String> order = new ArrayList<>();
        order.add(group);
        Set<String> seen = new HashSet<>(order);
        List<String> level = List.of(group);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String g : level) {
                for (String c : groups.get(g).children()) {
                    if (seen.add(c)) {
                        next.add(c);
                        order.add(c);
                    }
                }
            }
            level = next;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String g : order) out.addAll(groups.get(g).hosts());
        return List.copyOf(out);
    }

    /** Ansible's {@code groups} magic variable: every group (all, ungrouped included) → its hosts. */
    public Map<String, List<String>> groupsMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String g : groups.keySet()) out.put(g, groupHosts(g));
        return out;
    }

    /**
     * Ansible's {@code group_names}: the host's groups and their ancestors, sorted, without {@code all}
     * ({@code ungrouped} is included for ungrouped hosts, as Ansible does). Empty for the implicit localhost.
     */
    public List<String> groupNames(String host) {
        Set<String> mine = new TreeSet<>(hostGroups.getOrDefault(host, Set.of()));
        mine.remove(InventoryBuilder.ALL);
        return List.copyOf(mine);
    }

    /** The group itself and every group above it. */
    private static Set<String> ancestors(String group, Map<String, List<String>> parents) {
        Set<String> out = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(group));
        while (!todo.isEmpty()) {
            String g = todo.remove(todo.size() - 1);
            if (out.add(g)) todo.addAll(parents.getOrDefault(g, List.of()));
        }
        return out;
    }

    /** The host's groups (ancestors included, all excluded) in variable order: depth, then priority, then name. */
    List<Group> sortedGroups(String host) {
        List<Group> out = new ArrayList<>();
        for (String g : hostGroups.getOrDefault(host, Set.of())) {
            if (!g.equals(InventoryBuilder.ALL)) out.add(groups.get(g));
        }
        out.sort((a, b) -> a.depth() != b.depth() ? Integer.compare(a.depth(), b.depth())
                : a.priority() != b.priority() ? Integer.compare(a.priority(), b.priority())
                : a.name().compareTo(b.name()));
        return out;
    }

    /**
     * The inventory's variables for one host as layers, lowest precedence first (Ansible's order):
     * <ol start="0">
     *   <li>inventory file group vars: all, then the host's groups by depth, priority, name</li>
     *   <li>inventory {@code group_vars/all}</li>
     *   <li>playbook {@code group_vars/all}</li>
     *   <li>inventory {@code group_vars/<group>} for the host's groups in the same order</li>
     *   <li>playbook {@code group_vars/<group>}</li>
     *   <li>inventory file host vars</li>
     *   <li>inventory {@code host_vars/<host>}</li>
     *   <li>playbook {@code host_vars/<host>}</li>
     * </ol>
     * Later layers replace earlier keys whole (dicts are not merged). Files are read once per run and cached.
     *
     * @param playbookDir the directory of the playbook, whose group_vars/ and host_vars/ are read; may be null
     */
    public List<Map<String, Object>> variableLayers(String host, Path playbookDir) {
        // asked for every task of every host: computed once per (host, playbook dir); the inventory never changes
        List<Object> key = java.util.Arrays.asList(host, playbookDir == null ? null : playbookDir.toAbsolutePath().normalize());
        List<Map<String, Object>> cached = layersCache.get(key);
        if (cached != null) return cached;
        List<Map<String, Object>> layers = computeLayers(host, playbookDir);
        layersCache.putIfAbsent(key, layers);
        return layers;
    }

    private List<Map<String, Object>> computeLayers(String host, Path playbookDir) {
        Host h = host(host);
        if (h == null) throw new UserError(null, "no host named '" + host + "' in the inventory");
        List<Group> mine = sortedGroups(h.name());
        List<Path> playDirs = playbookDir == null ? List.of() : List.of(playbookDir);
        List<Map<String, Object>> layers = new ArrayList<>(8);

        Map<String, Object> inventoryGroups = new LinkedHashMap<>(groups.get(InventoryBuilder.ALL).vars());
        for (Group g : mine) inventoryGroups.putAll(g.vars());
        layers.add(inventoryGroups);
        layers.add(filesFor(varsDirs, VarsFiles.GROUP_VARS, List.of(InventoryBuilder.ALL)));
        layers.add(filesFor(playDirs, VarsFiles.GROUP_VARS, List.of(InventoryBuilder.ALL)));
        List<String> names = mine.stream().map(Group::name).toList();
        layers.add(filesFor(varsDirs, VarsFiles.GROUP_VARS, names));
        layers.add(filesFor(playDirs, VarsFiles.GROUP_VARS, names));
        layers.add(new LinkedHashMap<>(h.vars()));
        layers.add(filesFor(varsDirs, VarsFiles.HOST_VARS, List.of(h.name())));
        layers.add(filesFor(playDirs, VarsFiles.HOST_VARS, List.of(h.name())));
        return layers.stream().map(Collections::unmodifiableMap).toList();
    }

    /** All layers of {@link #variableLayers} merged: what {@code ansible-inventory --host} shows. */
    public Map<String, Object> hostVariables(String host, Path playbookDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> layer : variableLayers(host, playbookDir)) out.putAll(layer);
        return out;
    }

    /** A group's own variables plus its group_vars files (inventory, then playbook): {@code --graph --vars}. */
    public Map<String, Object> groupVariables(String group, Path playbookDir) {
        Group g = groups.get(group);
        if (g == null) throw new UserError(null, "no group named '" + group + "' in the inventory");
        Map<String, Object> out = new LinkedHashMap<>(g.vars());
        out.putAll(filesFor(varsDirs, VarsFiles.GROUP_VARS, List.of(group)));
        if (playbookDir != null) out.putAll(filesFor(List.of(playbookDir), VarsFiles.GROUP_VARS, List.of(group)));
        return out;
    }

    private Map<String, Object> filesFor(List<Path> dirs, String kind, List<String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Path dir : dirs) {
            for (String n : names) out.putAll(varsFiles.load(dir, kind, n));
        }
        return out;
    }

    /**
     * {@code add_host}: a new inventory where the host exists (created if new, vars replaced key by key) and
     * is a member of each named group (groups are created under {@code all} when missing).
     */
    public Inventory withHost(String name, Collection<String> groupNames, Map<String, Object> vars) {
        if (name == null || name.isBlank()) throw new UserError(null, "add_host: expected a host name, found nothing");
        InventoryBuilder b = new InventoryBuilder(this);
        b.addHost(name, InventoryBuilder.ALL, null, null);
        vars.forEach((k, v) -> b.setHostVar(name, k, v));
        for (String g : groupNames) b.addHost(name, g, null, null);
        return b.build(varsDirs, varsFiles);
    }

    /**
     * {@code group_by}: a new inventory where {@code host} is a member of {@code group} (created when missing)
     * and the group is a child of each of {@code parents} (created when missing).
     */
    public Inventory withGroupMember(String group, String host, Collection<String> parents) {
        if (host(host) == null) throw new UserError(null, "group_by: host '" + host + "' is not in the inventory");
        InventoryBuilder b = new InventoryBuilder(this);
        b.addGroup(group);
        for (String p : parents) b.addChild(p, group, null);
        b.addHost(host, group, null, null);
        return b.build(varsDirs, varsFiles);
    }
}
