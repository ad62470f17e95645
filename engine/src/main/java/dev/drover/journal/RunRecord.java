package dev.drover.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.error.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One run read back from its journal: the header, every record, and what follows from them (status, failed
 * hosts, the aggregate, markers, the host variables recovery needs). A last line cut short by a crash is ignored.
 *
 * @param id the run id (its directory's name)
 * @param records every complete record, in order
 */
public record RunRecord(String id, List<Map<String, Object>> records) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code <root>/<id>/journal.jsonl}. */
    public static RunRecord read(Path root, String id) {
        Path file = root.resolve(id).resolve("journal.jsonl");
        if (!Files.isRegularFile(file)) {
            throw new UserError(null, "no run '" + id + "' under " + root + " (drover runs lists them)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    out.add(m);
                } catch (IOException torn) {
                    // the controller died while writing this line: everything before it is complete
                    break;
                }
            }
        } catch (IOException e) {
            throw new UserError(null, "cannot read " + file + ": " + e.getMessage());
        }
        return new RunRecord(id, Collections.unmodifiableList(out));
    }

    /** Every run under {@code root}, oldest first (ids sort by start time). */
    public static List<RunRecord> list(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        List<RunRecord> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isRegularFile(d.resolve("journal.jsonl"))) out.add(read(root, d.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UserError(null, "cannot list " + root + ": " + e.getMessage());
        }
        return out;
    }

    public Map<String, Object> header() {
        return first("run");
    }

    public Map<String, Object> end() {
        return first("end");
    }

    public Map<String, Object> first(String type) {
        for (Map<String, Object> r : records) if (type.equals(r.get("type"))) return r;
        return null;
    }

    public List<Map<String, Object>> all(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records) if (type.equals(r.get("type"))) out.add(r);
        return out;
    }

    /** ok, failed, recovered, manual, interrupted, or crashed (no end record: the controller died). */
    public String status() {
        Map<String, Object> end = end();
        if (end == null) return "crashed";
        int code = ((Number) end.get("exit_code")).intValue();
        return switch (code) {
            case 0 -> "ok";
            case 6 -> "recovered";
            case 7 -> "manual";
            case 99 -> "interrupted";
            default -> "failed";
        };
    }

    /** The main section's aggregate: every error record outside recovery, in order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> errors() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : all("error_recorded")) {
            if (!Boolean.TRUE.equals(r.get("recovery"))) out.add((Map<String, Object>) r.get("error"));
        }
        return out;
    }

    public Set<String> failedHosts() {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, Object> e : errors()) out.add(String.valueOf(e.get("host")));
        return out;
    }

    /** Marker name to the hosts that passed it. */
    public Map<String, List<String>> markers() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : all("marker_passed")) {
            out.computeIfAbsent(String.valueOf(r.get("name")), k -> new ArrayList<>()).add(String.valueOf(r.get("host")));
        }
        return out;
    }

    /** The host variables set by register and set_fact, per host, last value wins (redacted ones stay redacted). */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> hostVars() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> r : all("vars")) {
            out.computeIfAbsent(String.valueOf(r.get("host")), k -> new LinkedHashMap<>())
                    .putAll((Map<String, Object>) r.get("vars"));
        }
        return out;
    }

    public String startedAt() {
        Map<String, Object> h = header();
        return h == null ? "?" : String.valueOf(h.get("at"));
    }

    @SuppressWarnings("unchecked")
    public List<String> playbooks() {
        Map<String, Object> h = header();
        return h == null ? List.of() : (List<String>) h.get("playbooks");
    }
}
