package dev.drover.host;

import dev.drover.inventory.InventoryLoader;
import dev.drover.inventory.Inventory;
import dev.drover.transport.Connection;
import dev.drover.transport.ConnectionSpec;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.Transports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Not a test: the agent's start on every host of an inventory at once, as a run does it (the lab: 10 hosts on
 * the controller's 2 CPUs). Run after {@code mvn verify} with
 * {@code java -cp engine/target/drover.jar:engine/target/test-classes dev.drover.host.AgentStartLabBench INVENTORY [ROUNDS]}.
 * Prints, per round, each host's {@code installer.connect} with the jar already installed (one command: launch
 * to handshake answered) and, for comparison, what the start used to add per host: a {@code java -version}.
 */
public final class AgentStartLabBench {
    private AgentStartLabBench() {}

    public static void main(String[] args) throws Exception {
        Inventory inv = new InventoryLoader().load(List.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> hosts = new ArrayList<>(inv.hosts().keySet());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AgentInstaller installer = AgentInstaller.withEmbeddedJar(AgentOptions.DEFAULTS, scheduler);
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        try (Transports transports = new Transports()) {
            List<Connection> conns = new ArrayList<>();
            for (String h : hosts) {
                Map<String, Object> vars = inv.hostVariables(h, Path.of("."));
                conns.add(transports.open(ConnectionSpec.fromVars(h, vars, ConnectionSpec.Options.defaults())));
            }
            for (Connection c : conns) { // installs the jar where missing; not measured
                if (installer.connect(c, null, true) instanceof AgentInstaller.Installed i) i.ops().close();
            }
            for (int r = 1; r <= rounds; r++) {
                double[] connect = timeAll(pool, conns, c -> {
                    AgentInstaller.Outcome o = installer.connect(c, null, true);
                    if (!(o instanceof AgentInstaller.Installed i)) throw new IllegalStateException(o.toString());
                    return i;
                }, true);
                double[] version = timeAll(pool, conns, c -> c.exec("java -version", ExecOptions.NONE), false);
                System.out.printf("round %d: connect (launch to hello, %d hosts at once) median %.0f ms, max %.0f ms;"
                        + " java -version median %.0f ms, max %.0f ms%n", r, hosts.size(), median(connect),
                        max(connect), median(version), max(version));
            }
        } finally {
            pool.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    interface Step {
        Object run(Connection c) throws Exception;
    }

    private static double[] timeAll(ExecutorService pool, List<Connection> conns, Step step, boolean closeAgent)
            throws Exception {
        List<Future<Double>> fs = new ArrayList<>();
        List<Object> made = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Connection c : conns) {
            fs.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                made.add(step.run(c));
                return (System.nanoTime() - t0) / 1e6;
            }));
        }
        double[] ms = new double[fs.size()];
        for (int i = 0; i < ms.length; i++) ms[i] = fs.get(i).get();
        if (closeAgent) {
            for (Object o : made) ((AgentInstaller.Installed) o).ops().close();
        }
        return ms;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(0);
    }
}
