package dev.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.journal.RunsDir;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run that handles secrets every way a playbook does, with every output on: {@code -vvv}, the JSON and JUnit
 * reports, the event stream and the run journal (and {@code drover runs}/{@code drover runs show}). Each output is
 * searched for each secret: none may appear.
 *
 * <p>The secrets: an inline {@code !vault} value under a name that says nothing about secrets (so only the vault
 * knows it), a {@code *_password} inventory variable, and a password given with {@code -e}. The tasks: a
 * {@code no_log} task echoing them, a {@code no_log} task that fails with them in its stderr, a task (without
 * no_log) whose stdout holds them, a debug message, a fact derived from one, and a failure whose message names one.
 */
class SecretsEverywhereTest {
    private static final String VAULTED = "VaultedConn-5150";
    private static final String INVENTORY_PASSWORD = "InvPassw0rd-77";
    private static final String EXTRA_PASSWORD = "ExtraPassw0rd-31";
    /** Ansible's short spelling, {@code ansible_become_pass} (and {@code ansible_ssh_pass}). */
    private static final String SHORT_PASS = "BecomePass-4711";
    /** Protected only by no_log: a plain variable, used by no_log tasks alone. */
    private static final String NO_LOG_ONLY = "NoLogOnly-8642";
    /** Made by the run: a fact under a secret-named key, computed so that no file holds it. */
    private static final String RUNTIME = "RuntimeT0ken-6262";
    private static final List<String> SECRETS = List.of(VAULTED, INVENTORY_PASSWORD, EXTRA_PASSWORD, SHORT_PASS, NO_LOG_ONLY,
            RUNTIME);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        String output() {
            return out + "\n" + err;
        }
    }

    private static Result drover(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        return new Result(code, o.toString(), e.toString());
    }

    @Test
    void noSecretReachesTheConsoleTheReportsTheEventStreamOrTheJournal() throws Exception {
        Path pw = dir.resolve("vault-pass");
        Files.writeString(pw, "open sesame\n");
        // the inline value is made by Drover's own vault (VaultInteropTest proves it is ansible-vault's format)
        Result enc = drover("vault", "encrypt_string", "--vault-password-file", pw.toString(), "-n", "conn_string", VAULTED);
        assertThat(enc.exit()).as(enc.output()).isZero();
        String inline = enc.out().strip().replace("\n", "\n    ");
        assertThat(inline).startsWith("conn_string: !vault |");

        Files.writeString(dir.resolve("inventory.ini"), """
                [db]
                h1 ansible_connection=local
                h2 ansible_connection=local
                [db:vars]
                db_password=%s
                ansible_become_pass=%s
                """.formatted(INVENTORY_PASSWORD, SHORT_PASS));
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: db
                  gather_facts: false
                  vars:
                    %s
                    motd: %s
                  tasks:
                    - name: echo the secrets quietly
                      command: echo {{ conn_string }} {{ db_password }} {{ admin_password }}
                      no_log: true
                      register: quiet
                    - name: a quiet loop
                      command: echo {{ item }}
                      loop: ["{{ motd }}", "{{ db_password }}"]
                      no_log: true
                    - name: a quiet fact
                      set_fact:
                        banner: "{{ motd }}"
                      no_log: true
                    - name: stdout that holds the secrets
                      command: echo user=app password={{ db_password }} conn={{ conn_string }} admin={{ admin_password }} become={{ ansible_become_pass }}
                      register: loud
                    - name: show them
                      debug:
                        msg: "connecting with {{ conn_string }} / {{ db_password }} / {{ admin_password }}"
                    - name: a fact derived from a secret
                      set_fact:
                        dsn: "host=db password={{ db_password }} opts={{ conn_string }}"
                    - name: show the fact
                      debug:
                        var: dsn
                    - name: a secret made by the run
                      set_fact:
                        session_token: "{{ 'Runtime' ~ 'T0ken-' ~ (6200 + 62) }}"
                    - name: use it
                      command: echo session {{ session_token }}
                    - name: show it
                      debug:
                        msg: "token is {{ session_token }}"
                    - name: a loop over secrets
                      debug:
                        msg: "item {{ item }}"
                      loop: ["{{ db_password }}", "{{ conn_string }}"]
                    - name: a failure that names a secret
                      fail:
                        msg: "login as admin with {{ admin_password }} and {{ conn_string }} refused"
                      when: inventory_hostname == 'h2'
                    - name: a quiet failure with secrets in stderr
                      shell: "echo {{ db_password }} {{ conn_string }} {{ banner }} >&2; exit 5"
                      no_log: true
                      when: inventory_hostname == 'h1'
                """.formatted(inline, NO_LOG_ONLY));

        Path report = dir.resolve("report.json");
        Path junit = dir.resolve("junit.xml");
        Path events = dir.resolve("events.jsonl");
        Result run = drover("play", "-vvv", "-i", dir.resolve("inventory.ini").toString(), dir.resolve("site.yml").toString(),
                "--vault-password-file", pw.toString(), "-e", "admin_password=" + EXTRA_PASSWORD,
                "--report", "json=" + report, "--report", "junit=" + junit, "--events", "jsonl=" + events);
        assertThat(run.exit()).as(run.output()).isEqualTo(2);

        // the run did use the secrets: they reached the hosts' commands, and the failures are reported
        JsonNode r = JSON.readTree(report.toFile());
        String runId = r.get("run").get("id").asText();
        assertThat(r.get("failed_hosts").findValuesAsText("host")).containsExactlyInAnyOrder("h1", "h2");
        assertThat(run.output()).contains("password=********").contains("conn=********");

        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("console", run.output());
        outputs.put("JSON report", Files.readString(report));
        outputs.put("JUnit report", Files.readString(junit));
        outputs.put("event stream", Files.readString(events));
        outputs.put("journal", Files.readString(RunsDir.journal(runId)));
        outputs.put("drover runs", drover("runs").output());
        Result show = drover("runs", "show", runId);
        assertThat(show.exit()).isZero();
        assertThat(show.output()).contains("error:       [h2] a failure that names a secret");
        outputs.put("drover runs show", show.output());

        // each output had the secrets to show (masked), so the search below is not vacuous
        outputs.forEach((where, text) -> {
            if (!where.equals("drover runs")) assertThat(text).as(where).contains("********");
        });
        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> {
            for (String secret : SECRETS) {
                int at = text.indexOf(secret);
                if (at >= 0) {
                    leaks.add(where + " shows " + secret + ": …"
                            + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 40)) + "…");
                }
            }
        });
        assertThat(leaks).isEmpty();
    }
}
