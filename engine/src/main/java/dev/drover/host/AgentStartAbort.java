package dev.drover.host;

import dev.drover.transport.RemoteProcess;
import java.io.IOException;

/**
 * Lets another thread give up an agent start: a run that ends before a host's agent is ready must not wait
 * for it. Aborting closes the agent process's input, so the JVM on the host exits on its own as soon as it
 * reads (also when it is still booting), and closes the process in the background; the start then reports
 * the host as agentless. An upload in progress is left to the connection's close: it writes a temp file that
 * is only renamed after its checksum matched.
 */
public final class AgentStartAbort {
    private RemoteProcess current;
    private boolean aborted;

    /** Follows a started process; false when the start was aborted already (then the process has been ended). */
    synchronized boolean track(RemoteProcess p) {
        if (aborted) {
            end(p);
            return false;
        }
        current = p;
        return true;
    }

    /** The process is an agent now (or gone); false when the start was aborted meanwhile. */
    synchronized boolean release(RemoteProcess p) {
        if (current == p) current = null;
        return !aborted;
    }

    public synchronized boolean aborted() {
        return aborted;
    }

    public void abort() {
        RemoteProcess p;
        synchronized (this) {
            if (aborted) return;
            aborted = true;
            p = current;
            current = null;
        }
        if (p != null) end(p);
    }

    /**
     * Ends a process without waiting for it: end of input now (the agent exits when it reads it), then the full
     * close, which may wait seconds for the process and kill it, on a thread of its own.
     */
    static void end(RemoteProcess p) {
        try {
            p.stdin().close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone already, and the process with it
        }
        Thread closer = new Thread(() -> {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // the connection is being closed under it (the run ended): that ends the process as well
            }
        }, "drover-agent-abort");
        closer.setDaemon(true);
        closer.start();
    }
}
