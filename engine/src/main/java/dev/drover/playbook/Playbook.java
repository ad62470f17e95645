package dev.drover.playbook;

import java.nio.file.Path;
import java.util.List;

/**
 * A playbook file with {@code import_playbook} already expanded (imported plays appear in place).
 * {@code unknownModules} lists every task whose module Drover does not know, in file order: listing
 * commands warn about them and a run refuses to start.
 */
public record Playbook(Path file, List<Play> plays, List<Task> unknownModules) {
    public Playbook {
        plays = List.copyOf(plays);
        unknownModules = List.copyOf(unknownModules);
    }

    public Playbook(Path file, List<Play> plays) {
        this(file, plays, List.of());
    }
}
