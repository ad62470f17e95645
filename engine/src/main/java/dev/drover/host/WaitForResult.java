package dev.drover.host;

import java.time.Duration;

/** A met {@code wait_for} condition: how long it took and, for a regex, the text that matched. */
public record WaitForResult(Duration elapsed, String match) {}
