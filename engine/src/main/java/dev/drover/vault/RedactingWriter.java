package dev.drover.vault;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that hides the run's secrets: text is held until the end of each line, then passed through
 * {@link Secrets#redact} and written on. Line by line because a secret may arrive in pieces (a banner, then a
 * value); {@link #flush} writes a partial line too, so prompts still appear. Wrapping the command's output and
 * error writers covers every sink and error message without each one knowing about secrets.
 */
public final class RedactingWriter extends Writer {
    private final Writer out;
    private final Secrets secrets;
    private final StringBuilder pending = new StringBuilder();

    public RedactingWriter(Writer out, Secrets secrets) {
        this.out = out;
        this.secrets = secrets;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            pending.append(buf[i]);
            if (buf[i] == '\n') drain();
        }
    }

    private void drain() throws IOException {
        if (pending.length() == 0) return;
        out.write(secrets.redact(pending.toString()));
        pending.setLength(0);
    }

    @Override
    public synchronized void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        out.close();
    }
}
