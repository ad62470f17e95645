package dev.drover.dba;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread that runs one statement against one host every 100 ms while an update runs, and records when each
 * attempt started and whether it succeeded: failed reads, and the longest stretch without a successful write.
 */
final class Probe implements AutoCloseable {
    record Attempt(long startMillis, boolean ok) {}

    private final PgMinorCluster pg;
    private final String host;
    private final String sql;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    Probe(PgMinorCluster pg, String host, String sql) {
        this.pg = pg;
        this.host = host;
        this.sql = sql;
        this.thread = new Thread(this::loop, "probe-" + host);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            long t0 = System.currentTimeMillis();
            boolean ok = pg.query(host, sql).ok();
            synchronized (attempts) {
                attempts.add(new Attempt(t0, ok));
            }
            long rest = 100 - (System.currentTimeMillis() - t0);
            if (rest > 0) PgMinorCluster.sleep(rest);
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    long failures() {
        return attempts().stream().filter(a -> !a.ok()).count();
    }

    long failuresBetween(long fromMillis, long toMillis) {
        return attempts().stream().filter(a -> !a.ok() && a.startMillis() >= fromMillis && a.startMillis() <= toMillis).count();
    }

    /** The longest outage: from the first failed attempt of a run of failures to the next successful one. */
    Outage longestOutage() {
        List<Attempt> all = attempts();
        Outage best = new Outage(0, 0);
        Long start = null;
        for (Attempt a : all) {
            if (!a.ok() && start == null) start = a.startMillis();
            if (a.ok() && start != null) {
                if (a.startMillis() - start > best.millis()) best = new Outage(start, a.startMillis() - start);
                start = null;
            }
        }
        if (start != null && !all.isEmpty()) {
            long end = all.get(all.size() - 1).startMillis();
            if (end - start > best.millis()) best = new Outage(start, end - start);
        }
        return best;
    }

    record Outage(long startMillis, long millis) {
        long endMillis() {
            return startMillis + millis;
        }
    }
}
