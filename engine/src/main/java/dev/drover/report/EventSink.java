package dev.drover.report;

/** Receives run events. Implementations must be thread-safe: hosts report from their own threads. */
@FunctionalInterface
public interface EventSink {
    void on(Event event);

    /** Called once after {@link Event.RunFinished}; flush and release resources. */
    default void close() {}

    /**
     * Called by the executor at every task boundary: a durable sink (the run journal) returns once every event
     * received so far is on disk. Others return at once.
     */
    default void barrier() {}

    static EventSink all(java.util.List<EventSink> sinks) {
        return new EventSink() {
            @Override
            public void on(Event event) {
                for (EventSink s : sinks) s.on(event);
            }

            @Override
            public void close() {
                for (EventSink s : sinks) s.close();
            }

            @Override
            public void barrier() {
                for (EventSink s : sinks) s.barrier();
            }
        };
    }
}
