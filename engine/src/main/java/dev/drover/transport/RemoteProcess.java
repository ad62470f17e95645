package dev.drover.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** A running command with its streams; closing it closes the channel (the remote side sees EOF). */
public interface RemoteProcess extends Closeable {
    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** The exit code, or null if it did not exit within the wait. */
    Integer waitFor(Duration wait) throws InterruptedException;

    boolean isAlive();

    @Override
    void close();
}
