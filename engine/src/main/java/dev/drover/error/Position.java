package dev.drover.error;

import java.nio.file.Path;

/**
 * Where something was written: a file with 1-based line and column. Column 0 means "the whole line",
 * line 0 means "the whole file".
 */
public record Position(String file, int line, int column) {

    public static Position of(Path file, int line, int column) {
        return new Position(display(file), line, column);
    }

    public static Position file(Path file) {
        return new Position(display(file), 0, 0);
    }

    /** Paths are shown relative to the working directory when they are below it: shorter and clickable. */
    private static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    @Override
    public String toString() {
        if (line <= 0) return file;
        if (column <= 0) return file + ":" + line;
        return file + ":" + line + ":" + column;
    }
}
