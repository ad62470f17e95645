package dev.drover.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Start-up timestamps on stderr ({@code DROVER_TIMING=1} or {@code -vvvv}): milliseconds since the JVM process
 * started, and the process's CPU time so far, at each phase up to the first task sent and the first result, so start-up can be measured inside a
 * run rather than guessed from the wall time. Wraps the console sink; the events pass through unchanged.
 */
public final class TimingSink implements EventSink {
    private final EventSink next;
    private final PrintWriter err;
    private final long jvmStartMillis;
    private final AtomicBoolean firstTask = new AtomicBoolean();
    private final AtomicBoolean firstResult = new AtomicBoolean();

    /** {@code jvmStartMillis}: the process start, epoch milliseconds (see {@link #processStartMillis()}). */
    public TimingSink(EventSink next, PrintWriter err, long jvmStartMillis) {
        this.next = next;
        this.err = err;
        this.jvmStartMillis = jvmStartMillis;
    }

    /** Whether the user asked for timestamps. */
    public static boolean wanted(int verbosity) {
        return verbosity >= 4 || "1".equals(System.getenv("DROVER_TIMING"));
    }

    /**
     * When this process started, epoch milliseconds: it includes the JVM's own boot, which no timestamp taken in
     * {@code main} can see. On Linux from {@code /proc/self/stat} (start, in clock ticks since boot) and
     * {@code /proc/uptime} (now since boot, 10 ms resolution): {@link ProcessHandle.Info#startInstant} adds the
     * boot time, which the kernel gives in whole seconds, so its marks could be off by up to a second.
     */
    public static long processStartMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]);
            String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
            // USER_HZ is 100 on every Linux architecture Drover runs on
            return System.currentTimeMillis() - Math.round(uptime * 1000) + startTicks * 10;
        } catch (java.io.IOException | RuntimeException notLinux) {
            return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                    .orElse(System.currentTimeMillis());
        }
    }

    /** Prints one phase mark now. */
    public void mark(String phase) {
        long ms = System.currentTimeMillis() - jvmStartMillis;
        // CPU time next to wall time: on a loaded machine the wall clock mostly measures waiting for a CPU
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        synchronized (err) {
            err.println(String.format(Locale.ROOT, "[drover timing] %6d ms  (cpu %5d ms)  %s", ms, cpu, phase));
            err.flush();
        }
    }

    @Override
    public void on(Event event) {
        if (event instanceof Event.RunStarted) {
            mark("run started (inventory loaded)");
        } else if (event instanceof Event.PlayStarted p) {
            mark("play started: " + p.name());
        } else if (event instanceof Event.TaskStarted t) {
            if (firstTask.compareAndSet(false, true)) mark("first task sent: " + t.name());
        } else if (event instanceof Event.HostResult r) {
            if (firstResult.compareAndSet(false, true)) mark("first result: " + r.host());
        } else if (event instanceof Event.RunFinished) {
            mark("run finished");
        }
        next.on(event);
    }

    @Override
    public void close() {
        next.close();
    }
}
