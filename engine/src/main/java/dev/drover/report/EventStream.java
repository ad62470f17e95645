package dev.drover.report;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code --events jsonl=FILE}: one JSON object per line and per event, written and flushed as the run goes, so a
 * consumer can {@code tail -f} it. Every line has {@code seq} (0, 1, 2, ...), {@code time} (ISO-8601 UTC) and
 * {@code type}; the first line (seq 0, type {@code stream}) names the {@code schema}. Event types are written by
 * reflection ({@link EventJson}), so new ones need no change here; secrets are masked ({@link Redactor}).
 */
public final class EventStream implements EventSink {
    public static final String SCHEMA = "drover-events/1";

    private final Writer out;
    private final boolean closeOut;
    private final Redactor redactor;
    private final Supplier<Instant> clock;
    private final java.util.function.Consumer<String> warn;
    private long seq;
    /** Set when a write failed (disk full, reader gone): the run goes on without its stream, said once. */
    private boolean broken;

    /**
     * @param closeOut false for stdout, which the CLI still writes after the run
     * @param warn told once if the stream cannot be written: that must not stop the run
     */
    public EventStream(Writer out, boolean closeOut, Redactor redactor, Supplier<Instant> clock,
                       java.util.function.Consumer<String> warn) {
        this.out = out;
        this.closeOut = closeOut;
        this.redactor = redactor;
        this.clock = clock;
        this.warn = warn;
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("seq", seq++);
        head.put("time", clock.get().toString());
        head.put("type", "stream");
        head.put("schema", SCHEMA);
        write(head);
    }

    @Override
    public synchronized void on(Event event) {
        // the journal's copy of register/set_fact values (no_log ones included): internal, and already in host_result
        if (event instanceof Event.HostVarsSet) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq++);
        m.put("time", clock.get().toString());
        m.put("type", EventJson.type(event));
        m.putAll(EventJson.fields(event));
        if (m.get("result") instanceof Map<?, ?> result) {
            // Ansible's private flags (_ansible_no_log, _ansible_verbose_always, ...) mean nothing to a consumer
            Map<Object, Object> clean = new LinkedHashMap<>(result);
            clean.keySet().removeIf(k -> String.valueOf(k).startsWith("_ansible"));
            m.put("result", clean);
        }
        Object redacted = redactor.redact(m);
        write(redacted);
    }

    private void write(Object line) {
        if (broken) return;
        try {
            out.write(PyJson.standard(line, false));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            broken = true;
            warn.accept("cannot write the event stream, it stops here: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (closeOut) out.close();
            else out.flush();
        } catch (IOException e) {
            if (!broken) warn.accept("cannot close the event stream: " + e.getMessage());
        }
    }
}
