package dev.drover.transport;

import dev.drover.testing.OpenSshServer;
import dev.drover.testing.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: prints the median wall time of 200 sequential {@code true} execs on one session, to check
 * that TCP_NODELAY is in effect (with Nagle + delayed ACK each exec stalls ~40-90 ms).
 * Against the in-process server, and against a throwaway OpenSSH sshd when run as root.
 *
 * <pre>mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -pl engine
 * java -cp engine/target/test-classes:engine/target/classes:$(cat engine/cp.txt) dev.drover.transport.ExecBenchmark</pre>
 */
public final class ExecBenchmark {
    private static final int RUNS = 200;

    private ExecBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("drover-bench-");
        try (TestSshServer server = TestSshServer.builder().user("bench", "bench-pw").build();
             Transports transports = new Transports()) {
            ConnectionSpec spec = ConnectionSpec.ssh("bench", server.host(), server.port(), "bench").withPassword("bench-pw")
                    .withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, server.writeKnownHosts(tmp.resolve("kh")));
            report("in-process MINA server", transports.open(spec));
        }
        if (OpenSshServer.available()) {
            try (OpenSshServer sshd = new OpenSshServer(); Transports transports = new Transports()) {
                ConnectionSpec spec = ConnectionSpec.ssh("bench", "127.0.0.1", sshd.port(), "root")
                        .withPrivateKeys(List.of(sshd.clientKeyFile()))
                        .withHostKeys(ConnectionSpec.HostKeyPolicy.STRICT, sshd.writeKnownHosts(tmp.resolve("kh2")));
                report("OpenSSH sshd", transports.open(spec));
            }
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void report(String what, Connection c) throws Exception {
        for (int i = 0; i < 20; i++) c.exec("true", ExecOptions.NONE); // warm-up: JIT, cipher, first channel
        long[] ns = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            ExecResult r = c.exec("true", ExecOptions.NONE);
            ns[i] = System.nanoTime() - t0;
            if (r.rc() != 0) throw new IllegalStateException("true failed: rc " + r.rc());
        }
        Arrays.sort(ns);
        System.out.printf("%s: %d sequential `true` execs on one session: median %.2f ms, p90 %.2f ms, max %.2f ms, total %.0f ms%n",
                what, RUNS, ns[RUNS / 2] / 1e6, ns[RUNS * 9 / 10] / 1e6, ns[RUNS - 1] / 1e6, Arrays.stream(ns).sum() / 1e6);
    }
}
