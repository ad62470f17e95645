package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Local commands drain their output on the run's shared pool: no new threads per command. */
class LocalConnectionTest {

    @Test
    void commandsReuseThePoolsThreadsInsteadOfStartingTwoPerCommand() throws Exception {
        ExecutorService io = Executors.newCachedThreadPool();
        try {
            LocalConnection conn = new LocalConnection("localhost", io);
            conn.exec("true", ExecOptions.NONE); // the pool's first threads and the JDK's process reaper
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getTotalStartedThreadCount();
            for (int i = 0; i < 50; i++) {
                ExecResult r = conn.exec("echo out" + i + "; echo err" + i + " >&2", ExecOptions.NONE);
                assertThat(r.stdoutText()).isEqualTo("out" + i + "\n");
                assertThat(new String(r.stderr())).isEqualTo("err" + i + "\n");
            }
            // two streams per command: 100 new threads without the pool
            assertThat(threads.getTotalStartedThreadCount() - before).isLessThan(10);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void stdinLargerThanAPipeDoesNotDeadlockWhileOutputIsDrained() throws Exception {
        ExecutorService io = Executors.newCachedThreadPool();
        try {
            byte[] big = new byte[1 << 20];
            java.util.Arrays.fill(big, (byte) 'x');
            ExecResult r = new LocalConnection("localhost", io).exec("cat", ExecOptions.NONE.withStdin(big));
            assertThat(r.stdout()).hasSize(big.length);
        } finally {
            io.shutdownNow();
        }
    }
}
