package dev.drover.agent;

/**
 * One request in progress, so CANCEL can reach it: the worker thread (interrupted to stop waits) and
 * the process it started (killed with its tree).
 */
final class Running {
    private Thread thread;
    private Process process;
    private boolean cancelled;
    private boolean done;

    synchronized void begin(Thread t) throws InterruptedException {
        if (cancelled) throw new InterruptedException("cancelled before start");
        thread = t;
    }

    /** Registers the process of this request; kills it at once if the request was already cancelled. */
    void attach(Process p) throws InterruptedException {
        synchronized (this) {
            process = p;
            if (!cancelled) return;
        }
        ProcessTree.kill(p.toHandle());
        throw new InterruptedException("cancelled");
    }

    void cancel() {
        Process p;
        synchronized (this) {
            if (done || cancelled) return;
            cancelled = true;
            p = process;
            if (thread != null) thread.interrupt();
        }
        if (p != null) ProcessTree.kill(p.toHandle());
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Clears a cancel's interrupt so it cannot leak into the pool thread's next request. */
    synchronized void end() {
        done = true;
        if (thread != null) Thread.interrupted();
    }
}
