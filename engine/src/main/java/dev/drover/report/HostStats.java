package dev.drover.report;

/** Counters for the PLAY RECAP line of one host, as Ansible counts them. */
public record HostStats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
    public static final HostStats ZERO = new HostStats(0, 0, 0, 0, 0, 0, 0);

    public HostStats plus(HostStats o) {
        return new HostStats(ok + o.ok, changed + o.changed, unreachable + o.unreachable, failed + o.failed,
                skipped + o.skipped, rescued + o.rescued, ignored + o.ignored);
    }
}
