package dev.drover.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** {@code ansible_connection: local}: commands run on the controller through {@code /bin/sh -c}. */
public final class LocalConnection implements Connection {
    private final String host;
    /** Reads the output of commands; null: CompletableFuture's default, a new thread per stream on 2 CPUs. */
    private final Executor io;

    public LocalConnection(String host) {
        this(host, null);
    }

    /**
     * {@code io} drains each command's stdout and stderr: a pool shared by a run's local hosts reuses its
     * threads, where the default starts two threads per command (the profile of 1000 local hosts showed
     * thousands of thread starts).
     */
    public LocalConnection(String host, Executor io) {
        this.host = host;
        this.io = io;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(String command, ExecOptions options) throws IOException {
        Process p = spawn(command, options);
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (options.stdin() != null) in.write(options.stdin());
        } catch (IOException ignored) {
            // the command may exit without reading its input
        }
        try {
            if (options.timeout() == null) {
                p.waitFor();
            } else if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new CommandTimeoutException("command timed out after " + options.timeout().toSeconds() + "s and was killed");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", e);
        }
    }

    @Override
    public RemoteProcess start(String command) throws IOException {
        Process p = spawn(command, ExecOptions.NONE);
        return new RemoteProcess() {
            @Override
            public OutputStream stdin() {
                return p.getOutputStream();
            }

            @Override
            public InputStream stdout() {
                return p.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return p.getErrorStream();
            }

            @Override
            public Integer waitFor(Duration wait) throws InterruptedException {
                return p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : null;
            }

            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public void close() {
                try {
                    p.getOutputStream().close();
                } catch (IOException ignored) {
                    // already closed
                }
                try {
                    if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public void close() {
        // nothing held open
    }

    private static Process spawn(String command, ExecOptions options) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
        pb.environment().putAll(options.env());
        return pb.start();
    }

    private CompletableFuture<byte[]> drain(InputStream in) {
        java.util.function.Supplier<byte[]> read = () -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return io == null ? CompletableFuture.supplyAsync(read) : CompletableFuture.supplyAsync(read, io);
    }
}
