package dev.drover.journal;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Where run journals live: {@code $DROVER_RUNS_DIR}, else {@code .drover/runs} under the current directory. */
public final class RunsDir {
    private RunsDir() {}

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public static Path root() {
        String env = System.getenv("DROVER_RUNS_DIR");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        return Path.of("").toAbsolutePath().resolve(".drover").resolve("runs");
    }

    /** A new run id: sortable by start time, unique enough for one controller. */
    public static String newId() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(ID) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    public static Path journal(String runId) {
        return root().resolve(runId).resolve("journal.jsonl");
    }
}
