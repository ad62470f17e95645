package dev.drover.report;

/** Receives run events. Implementations must be thread-safe: hosts report from their own threads. */
@FunctionalInterface
public interface EventSink {
    void on(Event event);

    /** Called once after {@link Event.RunFinished}; flush and release resources. */
    default void close() {}

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
        };
    }
}
