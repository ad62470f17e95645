package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSinkTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ConsoleSink sink = new ConsoleSink(new PrintWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true), false, 0);

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bannersArePaddedWithStarsToEightyColumnsLikeAnsible() {
        sink.on(new Event.PlayStarted("db", "master", List.of("h1")));
        String banner = out().lines().filter(l -> l.startsWith("PLAY")).findFirst().orElseThrow();
        assertThat(banner).startsWith("PLAY [db] ***").hasSize(80);
    }

    @Test
    void resultsUseAnsibleWordsAndSortedPythonJson() {
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("msg", "boom");
        failed.put("changed", false);
        failed.put("_ansible_no_log", false);
        sink.on(new Event.HostResult("h1", "t", "command", Event.Status.FAILED, failed, null, null, false, 1));
        sink.on(new Event.HostResult("h2", "t", "command", Event.Status.OK, Map.of("changed", false), null, null, false, 1));
        sink.on(new Event.HostResult("h3", "t", "command", Event.Status.SKIPPED, Map.of(), null, null, false, 1));
        assertThat(out()).contains("fatal: [h1]: FAILED! => {\"changed\": false, \"msg\": \"boom\"}\n")
                .contains("ok: [h2]\n").contains("skipping: [h3]\n").doesNotContain("_ansible");
    }

    @Test
    void debugResultsAreIndentedLikeAnsible() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("msg", "hello");
        r.put("_ansible_verbose_always", true);
        r.put("changed", false);
        sink.on(new Event.HostResult("h1", "t", "debug", Event.Status.OK, r, null, null, false, 1));
        assertThat(out()).contains("ok: [h1] => {\n    \"msg\": \"hello\"\n}\n");
    }

    @Test
    void recapMatchesAnsibleColumnsAndListsEveryFailedHost() {
        sink.on(new Event.HostResult("h1", "check version", "command", Event.Status.FAILED, Map.of("msg", "too old"), null, null, false, 1));
        Map<String, HostStats> stats = new LinkedHashMap<>();
        stats.put("h1", new HostStats(2, 1, 0, 1, 0, 0, 0));
        sink.on(new Event.RunFinished(stats, 2, 10));
        assertThat(out()).contains("h1                         : ok=2    changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   ")
                .contains("  h1: task 'check version': too old\n");
    }

    @Test
    void pyJsonEscapesAndNests() {
        assertThat(PyJson.dumps(Map.of("a", List.of(1, "x\"y", true)), false)).isEqualTo("{\"a\": [1, \"x\\\"y\", true]}");
        assertThat(PyJson.dumps(Map.of("a", Map.of()), true)).isEqualTo("{\n    \"a\": {}\n}");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1.5);
        m.put("a", List.of(Double.NaN, "x\"y"));
        assertThat(PyJson.standard(m, false)).isEqualTo("{\"z\":1.5,\"a\":[null,\"x\\\"y\"]}");
        assertThat(PyJson.standard(Map.of("a", List.of()), true)).isEqualTo("{\n  \"a\": []\n}");
    }
}
