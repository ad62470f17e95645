package dev.drover.vault;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sensitive values of one run: every plaintext a vault opened (and anything else registered with
 * {@link #add}). Output that leaves the process (console lines, error messages, reports) passes through
 * {@link #redact}, which replaces each occurrence with {@value #MASK}. Redacting the text itself, rather than
 * tagging values, also catches a secret that a template copied into a larger string or a module echoed back
 * in its result. Thread-safe; one instance per run, never static.
 */
public final class Secrets {
    public static final String MASK = "********";
    /** Shorter values (a vaulted "1" or "yes") would mask ordinary output everywhere; they are not tracked. */
    private static final int MIN_LENGTH = 3;

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    /** The values longest first, rebuilt when one is added: output is redacted far more often than values added. */
    private volatile List<String> byLength = List.of();

    /** Registers a sensitive value, and each of its lines (a multi-line key is often printed line by line). */
    public void add(String value) {
        if (value == null) return;
        String v = value.strip();
        put(v);
        if (v.indexOf('\n') >= 0) {
            for (String line : v.split("\r?\n")) put(line.strip());
        }
    }

    /**
     * The value as written, and as it appears inside JSON and Python repr output (escaped quotes, backslashes).
     * Synchronized as a whole: a thread adding a value another thread is adding at the same moment (two hosts
     * setting the same secret fact) must not return before {@link #redact} knows it.
     */
    private synchronized void put(String v) {
        if (v.length() < MIN_LENGTH || !values.add(v)) return;
        String json = v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
        if (!json.equals(v)) values.add(json);
        String repr = v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n");
        if (!repr.equals(v)) values.add(repr);
        byLength = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every registered value replaced by {@value #MASK}; longest first, so a value that
     *  contains another is masked whole. */
    public String redact(String text) {
        List<String> sorted = byLength;
        if (text == null || sorted.isEmpty()) return text;
        String out = text;
        for (String v : sorted) {
            if (out.contains(v)) out = out.replace(v, MASK);
        }
        return out;
    }
}
