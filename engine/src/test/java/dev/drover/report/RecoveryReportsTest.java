package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * Reports of runs with coded outcomes and a recovery section (the recovery branch's outcomes.yml on a three-host
 * cluster through the local connection): the outcome is lifted into the report, the summary and JUnit; recovery's
 * events are kept; the exit code's name is the one the run ended with.
 */
class RecoveryReportsTest {
    private static final Path PLAYBOOKS = Path.of("src/test/resources/exec/recovery").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ReportsTest.Run drover(String... extra) {
        List<String> args = new ArrayList<>(List.of("-i", PLAYBOOKS.resolve("inventory.ini").toString(),
                PLAYBOOKS.resolve("outcomes.yml").toString(), "--no-journal",
                "--report", "json=" + tmp.resolve("r.json"), "--report", "junit=" + tmp.resolve("r.xml"),
                "--events", "jsonl=" + tmp.resolve("e.jsonl")));
        args.addAll(List.of(extra));
        return ReportsTest.droverWith(args);
    }

    private record Ran(ReportsTest.Run run, JsonNode report) {}

    /** Runs outcomes.yml, checks the exit code and its name in a report that follows the schema. */
    private Ran ran(int exit, String exitName, String... extra) throws Exception {
        ReportsTest.Run run = drover(extra);
        assertThat(run.exit()).as(run.out()).isEqualTo(exit);
        JsonNode r = JSON.readTree(tmp.resolve("r.json").toFile());
        JsonNode schema = JSON.readTree(Path.of("../docs/report-schema.json").toFile());
        assertThat(new JsonSchemaCheck(schema).validate(r)).isEmpty();
        assertThat(r.get("run").get("exit_name").asText()).isEqualTo(exitName);
        return new Ran(run, r);
    }

    @Test
    void aFatalOutcomeNamesTheHostItsOutcomeAndManualIntervention() throws Exception {
        Ran ran = ran(7, "MANUAL_INTERVENTION", "-e", "r1_rc=9");
        JsonNode r = ran.report();
        JsonNode failed = r.get("failed_hosts");
        assertThat(failed.findValuesAsText("host")).containsExactly("r1");
        assertThat(failed.get(0).get("outcome").asText()).isEqualTo("fatal");
        assertThat(failed.get(0).get("outcome_message").asText()).isEqualTo("unexpected exit code 9");
        assertThat(failed.get(0).get("position").asText()).endsWith("outcomes.yml:13:7");
        List<String> statuses = new ArrayList<>();
        for (JsonNode o : r.get("outcomes")) statuses.add(o.get("host").asText() + "=" + o.get("status").asText());
        assertThat(statuses).containsExactlyInAnyOrder("m1=ok", "r1=fatal", "a1=ok");
        assertThat(r.get("other_events").findValuesAsText("type")).contains("marker_passed", "run_outcome");

        assertThat(ran.run().out()).containsPattern("\n  r1: task 'catalog update' at \\S*outcomes\\.yml:13:7 \\[outcome fatal\\]: "
                + "unexpected exit code 9\n");
        Element failure = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("r.xml").toFile()).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("outcome fatal");
        assertThat(failure.getAttribute("message")).isEqualTo("unexpected exit code 9");
        assertThat(((Element) failure.getParentNode()).getAttribute("classname")).isEqualTo("r1");
    }

    @Test
    void aRecoveredRunReportsTheRecoveryPlaysAndTheOriginalError() throws Exception {
        JsonNode r = ran(6, "RECOVERED", "-e", "r1_rc=4").report();
        assertThat(r.get("plays").findValuesAsText("name")).contains("update", "automatic recovery", "always");
        assertThat(r.get("aggregate")).hasSize(1);
        assertThat(r.get("aggregate").get(0).get("outcome").asText()).isEqualTo("recoverable");
        assertThat(r.get("aggregate").get(0).get("recovery").asBoolean()).isFalse();
        assertThat(r.get("other_events").findValuesAsText("type")).contains("recovery_started");
        List<String> lines = Files.readAllLines(tmp.resolve("e.jsonl"));
        assertThat(lines.stream().map(l -> l.substring(0, Math.min(80, l.length()))).toList())
                .anyMatch(l -> l.contains("\"type\":\"recovery_started\""));
    }
}
