package dev.drover.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An append-only file of JSON lines, made durable by group commit: callers enqueue records without waiting; one
 * writer thread takes everything queued, writes it and fsyncs once, so a burst of host results costs one fsync.
 * {@link #awaitDurable()} returns once every record enqueued before the call is on disk (the executor calls it
 * at task boundaries, so a crash loses at most the task in flight).
 */
public final class Journal implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] STOP = new byte[0];

    private final Path file;
    private final FileChannel channel;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Object lock = new Object();
    private long enqueued;
    private long durable;
    private long fsyncs;
    private volatile IOException failure;

    public Journal(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.writer = new Thread(this::writeLoop, "drover-journal");
        writer.setDaemon(true);
        writer.start();
    }

    public Path file() {
        return file;
    }

    /** Queues one record (a JSON object on one line); does not wait for the disk. */
    public void append(Map<String, Object> record) {
        byte[] line;
        try {
            line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (lock) {
            enqueued++;
            queue.add(line);
        }
    }

    /** Waits until every record appended so far has been written and fsync'd. */
    public void awaitDurable() {
        synchronized (lock) {
            long target = enqueued;
            while (durable < target && failure == null && writer.isAlive()) {
                try {
                    lock.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (failure != null) throw new UncheckedIOException("cannot write the run journal " + file, failure);
    }

    /** How many fsyncs the writer made (group commit: fewer than records). */
    public long fsyncs() {
        synchronized (lock) {
            return fsyncs;
        }
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean stop = false;
                int lines = 0;
                for (byte[] b : batch) {
                    if (b == STOP) {
                        stop = true;
                        continue;
                    }
                    ByteBuffer buf = ByteBuffer.wrap(b);
                    while (buf.hasRemaining()) channel.write(buf);
                    lines++;
                }
                if (lines > 0) channel.force(false);
                synchronized (lock) {
                    durable += lines;
                    if (lines > 0) fsyncs++;
                    lock.notifyAll();
                }
                if (stop) return;
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /** Writes what is queued, fsyncs, and closes the file. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            writer.join(10_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
