package dev.drover.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.error.Position;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which error names a host in the console summary and the report: coded outcomes lifted from the result, a rescued
 * failure never standing in for the one that stopped the host, no_log messages hidden. Fed the events the executor
 * sends for such runs (coded outcomes come from the recovery branch's {@code outcomes:} keyword).
 */
class FirstErrorsTest {
    private static final Position RUN_TOOL = new Position("upgrade.yml", 3, 7);
    private static final Position PROBE = new Position("upgrade.yml", 9, 7);
    private static final Position LOGIN = new Position("upgrade.yml", 14, 7);

    private final StringWriter console = new StringWriter();
    private final ConsoleSink sink = new ConsoleSink(new PrintWriter(console), false, 0);
    private final RunRecorder recorder = new RunRecorder(Redactor.NONE, Instant::now);

    private void send(Event e) {
        sink.on(e);
        recorder.on(e);
    }

    private static Map<String, Object> result(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> aggregateEntry(String host, String task, Position pos, String msg, Object rc) {
        return result("host", host, "play", "upgrade", "role", "pg", "task", task, "position", pos.toString(), "msg", msg,
                "rc", rc, "outcome", "failed");
    }

    private void run() {
        send(new Event.RunStarted("r1", List.of("upgrade.yml"), false));
        send(new Event.PlayStarted("upgrade", "db", List.of("h1", "h2", "h3", "h4")));
        send(new Event.TaskStarted("run tool", "pg", "task", RUN_TOOL));
        send(new Event.HostResult("h1", "pg : run tool", "command", Event.Status.FAILED, result("failed", true, "rc", 4,
                "msg", "non-zero return code", "stderr", "boom",
                "outcome", result("rc", 4, "status", "recoverable", "message", "A later step failed: boom")), null, null, false, 12));
        send(new Event.HostResult("h2", "pg : run tool", "command", Event.Status.OK, result("changed", false, "rc", 0,
                "outcome", result("rc", 0, "status", "ok", "message", "The update finished successfully.")), null, null, false, 10));
        // h3's failure here is rescued: it enters no aggregate and must not name h3 later
        send(new Event.HostResult("h3", "pg : run tool", "command", Event.Status.FAILED, result("failed", true, "rc", 1,
                "msg", "rescued one"), null, null, false, 9));
        send(new Event.ErrorRecorded(aggregateEntry("h1", "run tool", RUN_TOOL, "non-zero return code", 4), false));
        send(new Event.TaskStarted("probe", "pg", "task", PROBE));
        send(new Event.HostResult("h3", "pg : probe", "command", Event.Status.FAILED, result("failed", true, "rc", 2,
                "msg", "probe failed"), null, null, false, 5));
        send(new Event.ErrorRecorded(aggregateEntry("h3", "probe", PROBE, "probe failed", 2), false));
        send(new Event.TaskStarted("login", "pg", "task", LOGIN));
        send(new Event.HostResult("h4", "pg : login", "command", Event.Status.FAILED, result("censored",
                "the output has been hidden due to the fact that 'no_log: true' was specified for this result",
                "changed", false, "failed", true), null, null, false, 5));
        send(new Event.ErrorRecorded(aggregateEntry("h4", "login", LOGIN, "psql: password hunter22 rejected", 2), false));
        Map<String, HostStats> stats = new LinkedHashMap<>();
        stats.put("h1", new HostStats(0, 0, 0, 1, 0, 0, 0));
        stats.put("h2", new HostStats(1, 0, 0, 0, 0, 0, 0));
        stats.put("h3", new HostStats(0, 0, 0, 1, 0, 1, 0));
        stats.put("h4", new HostStats(0, 0, 0, 1, 0, 0, 0));
        send(new Event.RunFinished(stats, 2, 40));
    }

    @Test
    void theSummaryNamesTheCodedOutcomeTheUnrescuedFailureAndHidesNoLogMessages() {
        run();
        String summary = console.toString().substring(console.toString().indexOf("FAILED HOSTS"));
        assertThat(summary).contains("  h1: task 'pg : run tool' at upgrade.yml:3:7 [outcome recoverable]: A later step failed: boom\n")
                .contains("  h3: task 'pg : probe' at upgrade.yml:9:7: probe failed (rc=2)\n")
                .contains("  h4: task 'pg : login' at upgrade.yml:14:7: ")
                .doesNotContain("rescued one").doesNotContain("hunter22").doesNotContain("h2:");
    }

    @Test
    void theReportLiftsOutcomesAndValidates() throws Exception {
        run();
        ObjectMapper json = new ObjectMapper();
        JsonNode report = json.readTree(ReportFiles.json(recorder.report()));
        JsonNode schema = json.readTree(Path.of("../docs/report-schema.json").toFile());
        assertThat(new JsonSchemaCheck(schema).validate(report)).isEmpty();
        assertThat(report.get("outcomes").findValuesAsText("status")).containsExactly("recoverable", "ok");
        assertThat(report.get("outcomes").get(0).get("position").asText()).isEqualTo("upgrade.yml:3:7");
        JsonNode h1 = report.get("failed_hosts").get(0);
        assertThat(h1.get("host").asText()).isEqualTo("h1");
        assertThat(h1.get("outcome").asText()).isEqualTo("recoverable");
        assertThat(h1.get("outcome_message").asText()).isEqualTo("A later step failed: boom");
        assertThat(report.get("failed_hosts").findValuesAsText("host")).containsExactly("h1", "h3", "h4");
        JsonNode result = report.get("plays").get(0).get("tasks").get(0).get("results").get(0);
        assertThat(result.get("outcome").get("status").asText()).isEqualTo("recoverable");
        assertThat(report.toString()).doesNotContain("hunter22");
    }

    @Test
    void settingsThatOnlyMentionAPasswordAreNotSecrets() {
        Redactor r = Redactor.fromVariables(List.of(Map.of("pg_password_encryption", "scram-sha-256x",
                "update_password", "always", "ansible_ssh_private_key_file", "/root/.ssh/id_drover")));
        Object out = r.redact(Map.of("stdout", "always scram-sha-256x /root/.ssh/id_drover",
                "pg_password_encryption", "scram-sha-256x"));
        assertThat(out.toString()).contains("stdout=always scram-sha-256x /root/.ssh/id_drover")
                .contains("pg_password_encryption=scram-sha-256x");
        assertThat(Redactor.secretKey("ansible_become_password")).isTrue();
        assertThat(Redactor.secretKey("vault_db_password")).isTrue();
        assertThat(Redactor.secretKey("API_TOKEN")).isTrue();
        assertThat(Redactor.secretKey("passed")).isFalse();
        // Ansible's short spellings are passwords too; a word that merely ends in "pass" is not
        assertThat(Redactor.secretKey("ansible_become_pass")).isTrue();
        assertThat(Redactor.secretKey("ansible_ssh_pass")).isTrue();
        assertThat(Redactor.secretKey("bypass")).isFalse();
        assertThat(Redactor.secretKey("pass")).isFalse();
        assertThat(Redactor.secretKey("ansible_become_pass_file")).isFalse();
    }

    @Test
    void secretsAreMaskedByKeyAndByValueButHostNamesAreNot() {
        Redactor r = Redactor.fromVariables(List.of(Map.of("db_password", "hunter22", "vault_token", 12345678,
                "api", Map.of("secret", "nested-s3cret"), "plain", "visible", "url", "{{ vault_url }}")));
        Object out = r.redact(Map.of("stdout", "login hunter22 and 12345678 and nested-s3cret",
                "ansible_become_password", "other", "stats", Map.of("vault1", Map.of("ok", 1)), "msg", "visible"));
        assertThat(out.toString()).doesNotContain("hunter22", "12345678", "nested-s3cret", "other")
                .contains("vault1={ok=1}", "msg=visible");
    }
}
