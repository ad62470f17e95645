package dev.drover.host;

import dev.drover.transport.LocalConnection;
import dev.drover.transport.ShellQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Not a test: measures the agent over LocalConnection. Run after {@code mvn verify} with
 * {@code java -cp engine/target/classes:engine/target/test-classes:agent/target/classes dev.drover.host.AgentBenchmark}.
 * Prints agent start-up (process start to handshake answered), and median/p90 round trips of
 * {@code exec true}, {@code stat}, and an empty ping.
 */
public final class AgentBenchmark {
    private AgentBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("drover-agent-bench");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-heartbeat");
            t.setDaemon(true);
            return t;
        });
        LocalConnection conn = new LocalConnection("localhost");
        AgentOptions options = AgentOptions.DEFAULTS.withInstallDir(dir.toString());
        AgentInstaller installer = AgentInstaller.withEmbeddedJar(options, scheduler);
        AgentInstaller.Installed first = (AgentInstaller.Installed) installer.connect(conn, null, true);
        first.ops().close();
        System.out.printf("agent jar: %d bytes%n", AgentInstaller.embeddedJar().length);

        double[] starts = new double[10];
        for (int i = 0; i < starts.length; i++) {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(first.javaPath());
            cmd.addAll(options.jvmOptions());
            cmd.addAll(List.of("-jar", first.jarPath()));
            long t0 = System.nanoTime();
            AgentChannel ch = new AgentChannel(conn.start("exec " + ShellQuote.join(cmd)), "bench", options, scheduler);
            starts[i] = (System.nanoTime() - t0) / 1e6;
            ch.close();
        }
        report("agent start (spawn to hello answered)", starts);

        long t0 = System.nanoTime();
        AgentInstaller.Installed inst = (AgentInstaller.Installed) installer.connect(conn, null, true);
        System.out.printf("installer.connect with the jar already present: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        try (AgentHostOps ops = inst.ops()) {
            ExecSpec trueCmd = ExecSpec.argv(List.of("true"));
            for (int i = 0; i < 200; i++) {
                ops.exec(trueCmd);
                ops.stat("/etc/hosts", false, false);
                ops.ping();
            }
            double[] exec = new double[n];
            double[] stat = new double[n];
            double[] ping = new double[n];
            for (int i = 0; i < n; i++) {
                long a = System.nanoTime();
                ops.exec(trueCmd);
                exec[i] = (System.nanoTime() - a) / 1e6;
            }
            for (int i = 0; i < n; i++) {
                long a = System.nanoTime();
                ops.stat("/etc/hosts", false, false);
                stat[i] = (System.nanoTime() - a) / 1e6;
            }
            for (int i = 0; i < n; i++) {
                long a = System.nanoTime();
                ops.ping();
                ping[i] = (System.nanoTime() - a) / 1e6;
            }
            report(n + " x exec true", exec);
            report(n + " x stat /etc/hosts", stat);
            report(n + " x ping", ping);
            long b = System.nanoTime();
            for (int i = 0; i < 1000; i++) new ProcessBuilder("true").start().waitFor();
            System.out.printf("for comparison, 1000 x local fork+exec of true from this JVM: %.3f ms median-ish (mean)%n",
                    (System.nanoTime() - b) / 1e6 / 1000);
        }
        scheduler.shutdownNow();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void report(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%-40s median %.3f ms  p90 %.3f ms  min %.3f ms  max %.3f ms%n", what, s[s.length / 2],
                s[(int) (s.length * 0.9)], s[0], s[s.length - 1]);
    }
}
