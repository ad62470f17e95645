package dev.drover.exec;

import dev.drover.inventory.InventoryLoader;
import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Variable lookup as a task sees it, on a play of 10 and of 1000 hosts: building a host's variable layers,
 * resolving names at the bottom (inventory) and the top (magic variables) of the stack, going through
 * {@code hostvars}, and the per-task refresh of the shared magic variables. None of it may grow with the hosts.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VarsBench {
    @Param({"10", "1000"})
    public int hosts;

    private Path dir;
    private ExecutorService pool;
    private HostAccess access;
    private PlayContext ctx;
    private Templar templar;
    private String host;
    private String peer;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("drover-vars-bench");
        StringBuilder inv = new StringBuilder("[primary]\n");
        for (int i = 0; i < hosts; i++) {
            if (i == hosts / 2) inv.append("[replica]\n");
            inv.append(String.format("db%04d pg_node=%d%n", i, i));
        }
        inv.append("[fleet:children]\nprimary\nreplica\n[fleet:vars]\nansible_connection=local\npg_port=5432\n");
        Files.writeString(dir.resolve("inventory.ini"), inv);
        Files.writeString(dir.resolve("play.yml"), """
                - hosts: fleet
                  gather_facts: false
                  vars:
                    pg_data: "/var/lib/postgresql/{{ pg_version }}/main"
                    pg_version: "16"
                  tasks:
                    - debug: {msg: "{{ pg_data }}"}
                """);
        Set<String> known = new TreeSet<>(ModuleRegistry.standard().names());
        known.addAll(Executor.controllerActions());
        PlaybookLoader loader = new PlaybookLoader(known, List.of(), List.of());
        Playbook pb = loader.load(dir.resolve("play.yml"));
        PlayOptions opts = new PlayOptions(List.of(dir.resolve("play.yml")), List.of(dir.resolve("inventory.ini").toString()),
                null, Set.of(), Set.of(), Map.of(), null, false, false, 5, 0, null, false, null, null, null, false,
                false, null, null, false, List.of(), false, false, List.of(), false, false, false, false, false);
        pool = Executors.newFixedThreadPool(1);
        access = new DefaultHostAccess(opts);
        templar = new Templar(dir);
        Run run = new Run(opts, new InventoryLoader().load(opts.inventories()), templar, loader,
                ModuleRegistry.standard(), access, e -> { }, pool, dir, new VarsWork());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hosts; i++) names.add(String.format("db%04d", i));
        ctx = new PlayContext(run, pb.plays().get(0), Map.of(), names);
        ctx.batch = names;
        ctx.refreshShared();
        host = names.get(hosts - 1);
        peer = names.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        access.close();
        pool.shutdownNow();
    }

    /** The layers of one task on one host. */
    @Benchmark
    public Vars buildTaskVars() {
        return ctx.vars(host, dev.drover.exec.Scope.EMPTY, Map.of());
    }

    /** An inventory variable: the bottom of the stack, every layer above it is asked first. */
    @Benchmark
    public Object lookupInventoryVar() {
        return ctx.vars(host, dev.drover.exec.Scope.EMPTY, Map.of()).lookup("pg_port");
    }

    /** A play variable that is itself a template, rendered in a task argument. */
    @Benchmark
    public Object renderPlayVar() {
        return templar.template("{{ pg_data }}/postgresql.conf", ctx.vars(host, dev.drover.exec.Scope.EMPTY, Map.of()), ctx.play.pos());
    }

    /** {@code hostvars[peer].pg_node} and {@code groups['replica'] | length}: the cross-host lookups. */
    @Benchmark
    public Object crossHostLookup() {
        return templar.template("{{ hostvars['" + peer + "'].pg_node }}/{{ groups['replica'] | length }}",
                ctx.vars(host, dev.drover.exec.Scope.EMPTY, Map.of()), ctx.play.pos());
    }

    /** What runs after every task: nothing changed, so nothing is rebuilt. */
    @Benchmark
    public PlayContext refreshShared() {
        ctx.refreshShared();
        return ctx;
    }
}
