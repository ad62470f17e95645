package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code --report json}, {@code --report junit} and {@code --events jsonl} on a real run (two hosts through the local
 * connection, one unreachable): the JSON report against docs/report-schema.json, the JUnit XML through the JDK's
 * parser, the event stream line by line, the console's failed-hosts summary, and no secret in any of them.
 */
class ReportsTest {
    static final Path DIR = Path.of("src/test/resources/report").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECRETS = List.of("Sup3rS3cretPw", "B3comeS3cretPw", "T0kenValue99x");

    record Run(int exit, String out, String err) {}

    @TempDir
    static Path tmp;
    static Run run;

    @BeforeAll
    static void runOnce() {
        run = drover("--report", "json=" + tmp.resolve("report.json"), "--report", "junit=" + tmp.resolve("junit.xml"),
                "--events", "jsonl=" + tmp.resolve("events.jsonl"), "-e", "events_file=" + tmp.resolve("events.jsonl"),
                "-e", "report_file=" + tmp.resolve("report.json"));
    }

    static Run drover(String... extra) {
        List<String> args = new ArrayList<>(List.of("-i", DIR.resolve("inventory.ini").toString(),
                DIR.resolve("run.yml").toString()));
        args.addAll(List.of(extra));
        return droverWith(args);
    }

    /** {@code drover play} with these arguments, in-process, stdout and stderr apart. */
    static Run droverWith(List<String> playArgs) {
        List<String> args = new ArrayList<>(List.of("play"));
        args.addAll(playArgs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int code = Main.run(o, e, args.toArray(String[]::new));
        o.flush();
        e.flush();
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static JsonNode report() throws Exception {
        return JSON.readTree(tmp.resolve("report.json").toFile());
    }

    @Test
    void theJsonReportFollowsTheDocumentedSchema() throws Exception {
        JsonNode schema = JSON.readTree(Path.of("../docs/report-schema.json").toFile());
        List<String> errors = new JsonSchemaCheck(schema).validate(report());
        assertThat(errors).as(run.out()).isEmpty();
        // the check itself rejects what the schema forbids
        JsonNode broken = report().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("run")).put("exit_code", "two");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).remove("plays");
        assertThat(new JsonSchemaCheck(schema).validate(broken)).hasSize(2);
    }

    @Test
    void theJsonReportHasTheRunPlaysTasksResultsAndFailures() throws Exception {
        JsonNode r = report();
        assertThat(run.exit()).isEqualTo(2);
        JsonNode meta = r.get("run");
        assertThat(meta.get("exit_code").asInt()).isEqualTo(2);
        assertThat(meta.get("exit_name").asText()).isEqualTo("FAILED");
        assertThat(meta.get("check_mode").asBoolean()).isFalse();
        assertThat(meta.get("playbooks").get(0).asText()).endsWith("run.yml");
        assertThat(Instant.parse(meta.get("end").asText())).isAfterOrEqualTo(Instant.parse(meta.get("start").asText()));

        JsonNode play = r.get("plays").get(0);
        assertThat(play.get("name").asText()).isEqualTo("report demo");
        assertThat(play.get("hosts")).hasSize(3);
        JsonNode fail = task(play, "fail on h2");
        assertThat(fail.get("position").asText()).endsWith("run.yml:45:7");
        JsonNode h2 = result(fail, "h2");
        assertThat(h2.get("status").asText()).isEqualTo("failed");
        assertThat(h2.get("rc").asInt()).isEqualTo(3);
        assertThat(h2.get("stdout").asText()).isEqualTo("out-h2");
        assertThat(h2.get("stderr").asText()).isEqualTo("err-h2");
        assertThat(result(fail, "h1").get("status").asText()).isEqualTo("skipped");
        assertThat(result(task(play, "say hello"), "down").get("status").asText()).isEqualTo("unreachable");
        assertThat(result(task(play, "ignored failure"), "h1").get("ignored").asBoolean()).isTrue();

        JsonNode loop = result(task(play, "loop"), "h1");
        assertThat(loop.get("items")).hasSize(2);
        assertThat(loop.get("items").get(1).get("label").asText()).isEqualTo("b");
        assertThat(loop.get("items").get(1).get("msg").asText()).isEqualTo("item b");

        String longOut = result(task(play, "long output"), "h1").get("stdout").asText();
        assertThat(longOut.startsWith("xxxx")).isTrue();
        assertThat(longOut.endsWith("\n[... " + (20000 - RunRecorder.MAX_TEXT) + " more characters cut by drover]"))
                .as("cut with a note of how much").isTrue();
        assertThat(longOut.length()).isLessThan(RunRecorder.MAX_TEXT + 100);

        assertThat(r.get("aggregate")).hasSize(2);
        assertThat(r.get("aggregate").findValuesAsText("host")).containsExactlyInAnyOrder("h2", "down");
        JsonNode failed = r.get("failed_hosts");
        assertThat(failed.findValuesAsText("host")).containsExactlyInAnyOrder("h2", "down");
        for (JsonNode f : failed) {
            if (f.get("host").asText().equals("h2")) {
                assertThat(f.get("task").asText()).isEqualTo("fail on h2");
                assertThat(f.get("position").asText()).endsWith("run.yml:45:7");
                assertThat(f.get("rc").asInt()).isEqualTo(3);
            } else {
                assertThat(f.get("status").asText()).isEqualTo("unreachable");
                assertThat(f.get("task").asText()).isEqualTo("say hello");
            }
        }
        assertThat(r.get("stats").findValuesAsText("host")).containsExactly("down", "h1", "h2");
        // written when the run ends, atomically: a task of the run did not see it; no temporary file is left beside
        // it; and it has the permissions any new file gets (the umask), as the event stream has
        assertThat(result(task(play, "look for the report while the run goes"), "h1").get("stdout").asText()).isEqualTo("absent");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("report.json")))
                .isEqualTo(Files.getPosixFilePermissions(tmp.resolve("events.jsonl")));
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json", "junit.xml", "events.jsonl");
        }
    }

    @Test
    void theEventStreamHasOneNumberedTimedObjectPerLineWrittenAsTheRunGoes() throws Exception {
        List<String> lines = Files.readAllLines(tmp.resolve("events.jsonl"));
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("schema").asText()).isEqualTo(EventStream.SCHEMA);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode e = JSON.readTree(lines.get(i));
            assertThat(e.get("seq").asLong()).isEqualTo(i);
            Instant.parse(e.get("time").asText());
            types.add(e.get("type").asText());
        }
        assertThat(types).startsWith("stream", "run_started").endsWith("run_finished")
                .contains("play_started", "task_started", "host_result", "error_recorded")
                .doesNotContain("host_vars_set"); // the journal's copy of registered values, no_log ones included
        JsonNode task = lines.stream().map(ReportsTest::tree).filter(e -> e.get("type").asText().equals("task_started"))
                .filter(e -> e.get("name").asText().equals("fail on h2")).findFirst().orElseThrow();
        assertThat(task.get("position").asText()).endsWith("run.yml:45:7");
        // a task of the run read the file while the run went on: everything up to its own start was already there
        String seen = result(task(report().get("plays").get(0), "read the event stream while the run goes"), "h1")
                .get("stdout").asText();
        assertThat(seen).contains("\"type\":\"task_started\",\"name\":\"read the event stream while the run goes\"")
                .doesNotContain("run_finished");
    }

    @Test
    void junitXmlHasASuitePerPlayAndACasePerTaskAndHost() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(tmp.resolve("junit.xml").toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(1);
        Element suite = (Element) suites.item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("report demo");
        NodeList cases = suite.getElementsByTagName("testcase");
        int results = 0;
        for (JsonNode t : report().get("plays").get(0).get("tasks")) results += t.get("results").size();
        assertThat(cases.getLength()).isEqualTo(results).isEqualTo(Integer.parseInt(suite.getAttribute("tests")));
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(Integer.parseInt(suite.getAttribute("errors"))).isEqualTo(1);
        assertThat(Integer.parseInt(suite.getAttribute("skipped"))).isEqualTo(
                suite.getElementsByTagName("skipped").getLength());
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        Element failedCase = (Element) failure.getParentNode();
        assertThat(failedCase.getAttribute("classname")).isEqualTo("h2");
        assertThat(failedCase.getAttribute("name")).startsWith("fail on h2 (").endsWith("run.yml:45:7)");
        assertThat(failure.getTextContent()).contains("rc: 3", "err-h2");
        Element error = (Element) suite.getElementsByTagName("error").item(0);
        assertThat(((Element) error.getParentNode()).getAttribute("classname")).isEqualTo("down");
        assertThat(error.getAttribute("type")).isEqualTo("unreachable");
        assertThat(Double.parseDouble(failedCase.getAttribute("time"))).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theConsoleSummaryNamesEveryFailedAndUnreachableHostWithItsFirstError() {
        String out = run.out();
        String summary = out.substring(out.indexOf("FAILED HOSTS (first error of each):"));
        assertThat(summary).containsPattern("\n  h2: task 'fail on h2' at \\S*run\\.yml:45:7: .* \\(rc=3\\)")
                .containsPattern("\n  down: UNREACHABLE in task 'say hello' at \\S*run\\.yml:7:7: ")
                .doesNotContain("h1:");
    }

    @Test
    void noSecretAppearsInTheConsoleOrAnyOutputFile() throws Exception {
        String all = run.out() + run.err() + Files.readString(tmp.resolve("report.json"))
                + Files.readString(tmp.resolve("junit.xml")) + Files.readString(tmp.resolve("events.jsonl"));
        assertThat(all).contains("secret echo").contains("censored");
        for (String s : SECRETS) assertThat(all).doesNotContain(s);
    }

    @Test
    void secretsPrintedWithoutNoLogAreMaskedOnTheConsoleInReportsAndEvents(@TempDir Path dir) throws Exception {
        Run leak = drover("-e", "leak=true", "--report", "json=" + dir.resolve("r.json"), "--report",
                "junit=" + dir.resolve("r.xml"), "--events", "jsonl=" + dir.resolve("e.jsonl"));
        // unlike ansible-playbook, the console masks password variables too (issue #8), as the files for other
        // programs do
        assertThat(leak.out()).contains("connecting with " + Redactor.MASK).doesNotContain("Sup3rS3cretPw");
        String files = Files.readString(dir.resolve("r.json")) + Files.readString(dir.resolve("r.xml"))
                + Files.readString(dir.resolve("e.jsonl"));
        assertThat(files).contains("connecting with " + Redactor.MASK);
        // a no_log failure enters the aggregate (and the event stream) with its message censored
        JsonNode aggregate = JSON.readTree(dir.resolve("r.json").toFile()).get("aggregate");
        assertThat(aggregate.findValuesAsText("task")).contains("a failure whose message holds a secret");
        JsonNode recorded = Files.readAllLines(dir.resolve("e.jsonl")).stream().map(ReportsTest::tree)
                .filter(e -> e.get("type").asText().equals("error_recorded"))
                .filter(e -> e.get("error").get("host").asText().equals("h1")).findFirst().orElseThrow();
        assertThat(recorded.get("error").get("msg").asText()).contains("'no_log: true' was specified");
        for (String s : SECRETS) assertThat(files).doesNotContain(s);
    }

    @Test
    void eventsOnStdoutMoveTheConsoleToStderr() throws Exception {
        Run r = drover("-l", "h1", "--events", "jsonl=-");
        assertThat(r.exit()).isZero();
        for (String line : r.out().lines().toList()) assertThat(tree(line).get("type")).as(line).isNotNull();
        assertThat(r.out()).contains("\"type\":\"run_finished\"");
        assertThat(r.err()).contains("PLAY RECAP").contains("TASK [say hello]");
    }

    @Test
    void badReportOptionsAreRejectedBeforeAnythingRuns() {
        assertThat(drover("--report", "xml=a.xml").exit()).isEqualTo(5);
        Run r = drover("--report", "jsno=a.json");
        assertThat(r.err()).contains("unknown format 'jsno'").contains("json");
        assertThat(drover("--report", "json=").exit()).isEqualTo(5);
        assertThat(drover("--events", "json=a").exit()).isEqualTo(5);
        Run missingDir = drover("--report", "json=/nonexistent-dir/a.json");
        assertThat(missingDir.exit()).isEqualTo(5);
        assertThat(missingDir.out()).doesNotContain("PLAY [");
    }

    @Test
    void aRunEndedByBadInputStillEndsItsReportAndStream(@TempDir Path dir) throws Exception {
        List<String> args = List.of("play", "-i", DIR.resolve("inventory.ini").toString(),
                DIR.resolve("bad_vars_files.yml").toString(), "--report", "json=" + dir.resolve("r.json"),
                "--events", "jsonl=" + dir.resolve("e.jsonl"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        int code = Main.run(w, w, args.toArray(String[]::new));
        assertThat(code).isEqualTo(4);
        JsonNode r = JSON.readTree(dir.resolve("r.json").toFile());
        JsonNode schema = JSON.readTree(Path.of("../docs/report-schema.json").toFile());
        assertThat(new JsonSchemaCheck(schema).validate(r)).isEmpty();
        assertThat(r.get("run").get("exit_name").asText()).isEqualTo("BAD_INPUT");
        assertThat(r.get("plays")).hasSize(2);
        assertThat(r.get("warnings").get(0).asText()).contains("missing.yml");
        List<String> lines = Files.readAllLines(dir.resolve("e.jsonl"));
        assertThat(tree(lines.get(lines.size() - 1)).get("exit_code").asInt()).isEqualTo(4);
    }

    static JsonNode task(JsonNode play, String name) {
        for (JsonNode t : play.get("tasks")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no task " + name + " in " + play);
    }

    static JsonNode result(JsonNode task, String host) {
        for (JsonNode r : task.get("results")) if (r.get("host").asText().equals(host)) return r;
        throw new AssertionError("no result for " + host + " in " + task);
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
