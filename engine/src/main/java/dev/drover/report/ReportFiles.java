package dev.drover.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code --report json=FILE} and {@code --report junit=FILE}: the {@link RunRecorder}'s report, written when the run
 * ends, each file atomically (a temporary file beside it, then a rename), so a CI job never reads half a report.
 */
public final class ReportFiles implements EventSink {
    public enum Format { JSON, JUNIT }

    public record Target(Format format, Path file) {}

    private final RunRecorder recorder;
    private final List<Target> targets;
    private final java.util.function.Consumer<String> warn;

    /** @param warn told when a report cannot be written: that must not change the run's exit code */
    public ReportFiles(RunRecorder recorder, List<Target> targets, java.util.function.Consumer<String> warn) {
        this.recorder = recorder;
        this.targets = List.copyOf(targets);
        this.warn = warn;
    }

    @Override
    public void on(Event event) {
        recorder.on(event);
    }

    @Override
    public void close() {
        Map<String, Object> report = recorder.report();
        for (Target t : targets) {
            byte[] bytes = switch (t.format()) {
                case JSON -> json(report);
                case JUNIT -> JunitXml.render(report);
            };
            try {
                writeAtomically(t.file(), bytes);
            } catch (UncheckedIOException e) {
                warn.accept(e.getMessage());
            }
        }
    }

    /** Not Jackson: a cold Jackson cost ~250 ms of CPU at the first event; this writer a third of that. */
    static byte[] json(Map<String, Object> report) {
        return (PyJson.standard(report, true) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Temp file in the same directory (same file system), forced to disk, then renamed over the target. */
    static void writeAtomically(Path file, byte[] bytes) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            // not createTempFile: its 0600 would make the report unreadable to a CI job's other users; a new file
            // gets the umask's permissions, as --events files do
            tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) tmp.toFile().delete();
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }
}
