package dev.drover.exec;

import dev.drover.report.Event;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM during a run. The first stops dispatching: no new task starts, tasks in flight finish, the
 * journal is closed with the summary and the run exits 99. The second cancels the tasks in flight (their threads
 * are interrupted; the agent kills the remote process tree). Handlers are restored when the run ends, so an
 * embedding program gets its own back.
 */
final class Signals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Signals() {}

    static Signals install(Run run) {
        Signals s = new Signals();
        Thread main = Thread.currentThread();
        SignalHandler handler = sig -> {
            if (!run.interrupted) {
                run.interrupted = true;
                run.sink.on(new Event.Warning("SIG" + sig.getName() + ": no new task starts; tasks in flight finish"
                        + " (send it again to cancel them)"));
            } else if (!run.cancelled) {
                run.cancelled = true;
                run.sink.on(new Event.Warning("SIG" + sig.getName() + " again: cancelling the tasks in flight"));
                main.interrupt();
            }
        };
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                s.previous.add(Signal.handle(sig, handler));
                s.signals.add(sig);
            } catch (IllegalArgumentException unavailable) {
                // the JVM reserves it (-Xrs) or the platform lacks it: the default behaviour stays
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
