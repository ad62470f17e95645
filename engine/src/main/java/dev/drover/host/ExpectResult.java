package dev.drover.host;

import java.nio.charset.StandardCharsets;

/** How an expect run ended; {@code output} holds stdout and stderr together, as a terminal would show them. */
public record ExpectResult(int rc, byte[] output) {
    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }
}
