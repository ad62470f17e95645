package dev.drover.exec;

import dev.drover.playbook.Block;
import dev.drover.playbook.Play;
import dev.drover.playbook.RoleRef;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskItem;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One play being run: its variables, its roles, and the hosts of the play and of the current batch. Builds the
 * variables a task sees on a host, in Ansible's documented precedence order.
 */
final class PlayContext {
    final Run run;
    final Play play;
    final Map<String, Object> varsFiles;
    final List<RoleRef> roles;
    /** Every host the play targets (ansible_play_hosts_all). */
    final List<String> playHostsAll;
    /** The hosts of the current serial batch (ansible_play_batch, before failures). */
    volatile List<String> batch = List.of();
    private volatile Map<String, Object> shared = Map.of();

    PlayContext(Run run, Play play, Map<String, Object> varsFiles, List<String> playHostsAll) {
        this.run = run;
        this.play = play;
        this.varsFiles = varsFiles;
        this.roles = collectRoles(play);
        this.playHostsAll = Templar.literal(List.copyOf(playHostsAll));
    }

    Path baseDir() {
        return play.baseDir();
    }

    /**
     * Brings the magic variables shared by every host up to date (after every task, a batch start, add_host or
     * group_by). Incremental, because it runs after every task: the constant entries are built once per play,
     * {@code groups} once per inventory, {@code update_errors} when a failure was added, and the host lists only
     * when a host's state changed; finding out costs one read of each host's flags and builds nothing. When nothing
     * changed, the shared layer stays the same object (Ansible's #73654: per-task work must not grow with the
     * inventory).
     */
    synchronized void refreshShared() {
        boolean changed = false;
        if (constant == null) {
            constant = constantShared();
            changed = true;
        }
        dev.drover.inventory.Inventory inv = run.inventory.get();
        if (inv != groupsOf) {
            Map<String, List<String>> g = new LinkedHashMap<>();
            inv.groupsMap().forEach((name, members) -> g.put(name, Templar.literal(members)));
            run.varsWork.built(g.size());
            groups = Templar.literal(g);
            groupsOf = inv;
            changed = true;
        }
        if (allStates == null) allStates = states(playHostsAll);
        List<String> b = batch;
        if (b != statesOfBatch) {
            batchStates = states(b);
            statesOfBatch = b;
        }
        List<String> active = activeOrSame(playHostsAll, allStates, playHosts);
        List<String> batchActive = activeOrSame(b, batchStates, playBatch);
        if (active != playHosts || batchActive != playBatch) {
            playHosts = active;
            playBatch = batchActive;
            changed = true;
        }
        int errors = run.errors.size() + run.recoveryErrors.size();
        if (errors != errorsSeen) {
            engineDefaults = Map.of("handle_update_errors", true, "update_errors", updateErrors());
            errorsSeen = errors;
        }
        int passed = 0;
        synchronized (run.markers) {
            for (List<String> hosts : run.markers.values()) passed += hosts.size();
            if (passed != markersSeen) {
                Map<String, Object> mk = new LinkedHashMap<>();
                run.markers.forEach((name, hosts) -> mk.put(name, List.copyOf(hosts)));
                markers = Templar.literal(mk);
                markersSeen = passed;
                changed = true;
            }
        }
        if (!changed) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groups", groups);
        m.put("ansible_play_hosts_all", playHostsAll);
        m.put("ansible_play_hosts", playHosts);
        m.put("play_hosts", playBatch);
        m.put("ansible_play_batch", playBatch);
        m.put("run_markers", markers);
        m.putAll(constant);
        run.varsWork.built(m.size());
        shared = m;
    }

    // The state refreshShared compares against; guarded by this.
    private Map<String, Object> constant;
    private dev.drover.inventory.Inventory groupsOf;
    private Map<String, List<String>> groups;
    private List<String> playHosts;
    private List<String> playBatch;
    private int errorsSeen = -1;
    private Map<String, Object> markers;
    private int markersSeen = -1;

    // each host's state, in list order: the check after every task reads flags, not the run's host map
    private HostState[] allStates;
    private HostState[] batchStates;
    private List<String> statesOfBatch;

    private HostState[] states(List<String> hosts) {
        HostState[] out = new HostState[hosts.size()];
        for (int i = 0; i < out.length; i++) out[i] = run.host(hosts.get(i));
        return out;
    }

    /** The hosts of {@code hosts} still active; {@code previous} itself when that is the same list. */
    private List<String> activeOrSame(List<String> hosts, HostState[] states, List<String> previous) {
        int n = 0;
        boolean same = previous != null;
        for (int i = 0; i < states.length; i++) {
            if (!states[i].active()) continue;
            if (same && (n >= previous.size() || previous.get(n) != hosts.get(i) && !previous.get(n).equals(hosts.get(i)))) {
                same = false;
            }
            n++;
        }
        if (same && n == previous.size()) return previous;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < states.length; i++) if (states[i].active()) out.add(hosts.get(i));
        run.varsWork.built(out.size());
        return Templar.literal(List.copyOf(out));
    }

    /** The entries that stay the same for the whole play. */
    private Map<String, Object> constantShared() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ansible_play_name", play.name());
        m.put("playbook_dir", run.playbookDir.toString());
        m.put("ansible_check_mode", run.options.check());
        m.put("ansible_diff_mode", run.options.diff());
        m.put("ansible_forks", run.options.forks());
        m.put("ansible_verbosity", run.options.verbosity());
        m.put("ansible_run_tags", run.options.tags().isEmpty() ? List.of("all") : List.copyOf(run.options.tags()));
        m.put("ansible_skip_tags", List.copyOf(run.options.skipTags()));
        m.put("ansible_version", Map.of("full", "2.14.0", "major", 2, "minor", 14, "revision", 0, "string", "2.14.0 (drover)"));
        m.put("ansible_inventory_sources", run.options.inventories());
        m.put("omit", Templar.OMIT);
        m.put("hostvars", run.templar.lazyView(new HostVars(), play.pos()));
        run.varsWork.built(m.size());
        return m;
    }

    /**
     * {@code update_errors}: the run's failures so far, for every host, refreshed at every task boundary.
     * {@code aggregate} is the list (empty when nothing failed); {@code hosts} groups it by host.
     */
    private Map<String, Object> updateErrors() {
        List<Map<String, Object>> all;
        synchronized (run.errors) {
            all = List.copyOf(run.errors);
        }
        run.varsWork.built(all.size());
        Map<String, List<Map<String, Object>>> byHost = new LinkedHashMap<>();
        for (Map<String, Object> e : all) byHost.computeIfAbsent(String.valueOf(e.get("host")), h -> new ArrayList<>()).add(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aggregate", all);
        m.put("hosts", byHost);
        synchronized (run.recoveryErrors) {
            m.put("recovery", List.copyOf(run.recoveryErrors));
        }
        // Recorded failures are data: a task name or message with {{ }} must not be templated again.
        return Templar.literal(m);
    }

    /**
     * Below every other layer: {@code update_errors} and the seed installer's switch for its recovery plays
     * ({@code handle_update_errors}, on unless set). Lowest, so a role that keeps its own {@code update_errors}
     * with set_fact (as the seed's common role does) is not shadowed.
     */
    private volatile Map<String, Object> engineDefaults = Map.of("handle_update_errors", true);

    /** The variables a task sees on {@code host}, lowest precedence first as Ansible documents it. */
    LayeredVars vars(String host, Scope scope, Map<String, Object> taskVars) {
        HostState st = run.host(host);
        LayeredVars.Builder b = new LayeredVars.Builder();
        b.add(engineDefaults);
        for (RoleRef r : roles) b.add(r.defaults());
        if (scope.role() != null) {
            for (RoleRef dep : scope.role().dependencies()) b.add(dep.defaults());
            b.add(scope.role().defaults());
        }
        b.addAll(run.inventory.get().variableLayers(host, run.playbookDir));
        b.add(new FactVars(st.facts));
        b.add(play.vars());
        b.add(varsFiles);
        for (RoleRef r : roles) b.add(r.vars());
        if (scope.role() != null) b.add(scope.role().vars());
        for (Map<String, Object> v : scope.varsLowestFirst()) b.add(v);
        b.add(taskVars);
        b.add(st.includeVars);
        b.add(st.hostVars);
        if (scope.role() != null) b.add(scope.role().params());
        b.add(run.options.extraVars());
        b.add(shared);
        b.add(hostMagic(host, scope.role()));
        run.varsWork.layered(b.size());
        return b.build();
    }

    /**
     * What {@code hostvars[h]} holds, as Ansible's HostVars (variables computed without the play): inventory,
     * facts, include_vars, set_fact/registered values, extra vars and the host's magic variables; not play vars,
     * vars_files or role variables.
     */
    LayeredVars hostLevelVars(String host) {
        HostState st = run.host(host);
        LayeredVars.Builder b = new LayeredVars.Builder();
        b.addAll(run.inventory.get().variableLayers(host, run.playbookDir));
        b.add(new FactVars(st.facts));
        b.add(st.includeVars);
        b.add(st.hostVars);
        b.add(run.options.extraVars());
        b.add(shared);
        b.add(hostMagic(host, null));
        run.varsWork.layered(b.size());
        return b.build();
    }

    private Map<String, Object> hostMagic(String host, RoleRef role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", host);
        int dot = host.indexOf('.');
        m.put("inventory_hostname_short", dot > 0 ? host.substring(0, dot) : host);
        m.put("group_names", run.inventory.get().groupNames(host));
        if (role != null) {
            m.put("role_name", role.name());
            m.put("role_path", role.path().toString());
            m.put("ansible_role_name", role.name());
        }
        return m;
    }

    private static List<RoleRef> collectRoles(Play play) {
        Set<RoleRef> out = new LinkedHashSet<>();
        for (List<TaskItem> section : play.sections()) collect(section, out);
        return List.copyOf(out);
    }

    private static void collect(List<TaskItem> items, Set<RoleRef> out) {
        for (TaskItem i : items) {
            if (i.role() != null) {
                out.addAll(i.role().dependencies());
                out.add(i.role());
            }
            if (i instanceof Block b) {
                collect(b.block(), out);
                collect(b.rescue(), out);
                collect(b.always(), out);
            } else if (i instanceof Task) {
                // tasks carry the role of their block
            }
        }
    }

    /** {@code ansible_facts} plus the {@code ansible_*} names Ansible injects for each fact. */
    private record FactVars(Map<String, Object> facts) implements Vars {
        @Override
        public Object lookup(String name) {
            if (name.equals("ansible_facts")) return facts;
            if (name.startsWith("ansible_")) {
                Object v = facts.get(name.substring(8));
                if (v != null || facts.containsKey(name.substring(8))) return v;
            }
            return MISSING;
        }

        @Override
        public Set<String> names() {
            Set<String> s = new LinkedHashSet<>();
            s.add("ansible_facts");
            for (String k : facts.keySet()) s.add("ansible_" + k);
            return s;
        }
    }

    /**
     * {@code hostvars}: a lazy view whose entries are each host's play-level variables, themselves lazy: a render
     * touches only the hosts and variables it names, however large the inventory (Ansible's #73654).
     */
    private final class HostVars implements Vars {
        @Override
        public Object lookup(String host) {
            if (run.inventory.get().host(host) == null && !playHostsAll.contains(host)) return MISSING;
            return run.templar.lazyView(hostLevelVars(host), play.pos());
        }

        @Override
        public Set<String> names() {
            return run.inventory.get().hosts().keySet();
        }
    }
}
