package dev.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.cli.BadInputCorpusTest.Run;
import dev.drover.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected on one lab host while {@code drover play} runs on all three (labhost1 and labhost2 with the
 * agent, labhost3 agentless): that host is reported with the reason, the others finish the play, no host keeps
 * a partial file, and no agent is left running. The controller-side faults (SIGINT/SIGTERM/SIGKILL and
 * {@code drover recover}) need the run journal and are not here.
 */
class LabFaultTest {
    private static final Pattern RECAP = Pattern.compile("(?m)^(labhost\\d)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+"
            + "unreachable=(\\d+)\\s+failed=(\\d+)");

    private static Lab lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = Lab.shared(3, "labhost3");
    }

    /** Starts the play (with extra {@code -e} values) in the background; the caller injects the fault, then joins. */
    private static CompletableFuture<Run> play(Path playbook, String... extraVars) {
        List<String> args = new ArrayList<>(List.of("play", "-i", lab.inventory().toString()));
        for (String e : extraVars) args.addAll(List.of("-e", e));
        args.add(playbook.toString());
        return CompletableFuture.supplyAsync(() -> {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                    args.toArray(String[]::new));
            return new Run(code, out.toString(), err.toString());
        });
    }

    /** Runs a 7 s command on every host and, once it runs on {@code host}, injects {@code fault} there. */
    private Run faultMidTask(String host, String fault, String... extraVars) throws Exception {
        CompletableFuture<Run> run = play(playbook("      command: sleep 7\n"), extraVars);
        awaitOn(host, "pgrep -x sleep >/dev/null");
        lab.exec(host, fault).orThrow();
        return run.get(120, TimeUnit.SECONDS);
    }

    private static void awaitOn(String host, String shellTest) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (lab.exec(host, shellTest).ok()) return;
            Thread.sleep(100);
        }
        throw new AssertionError(host + ": never true: " + shellTest);
    }

    /** labhost → {ok, changed, unreachable, failed} from PLAY RECAP. */
    private static java.util.Map<String, int[]> recap(String out) {
        java.util.Map<String, int[]> m = new java.util.HashMap<>();
        Matcher x = RECAP.matcher(out);
        while (x.find()) {
            m.put(x.group(1), new int[] {Integer.parseInt(x.group(2)), Integer.parseInt(x.group(3)),
                    Integer.parseInt(x.group(4)), Integer.parseInt(x.group(5))});
        }
        return m;
    }

    private static void assertOthersFinished(Run r, String affected) {
        java.util.Map<String, int[]> recap = recap(r.out());
        assertThat(recap).as(r.describe()).containsKeys("labhost1", "labhost2", "labhost3");
        for (String h : new String[] {"labhost1", "labhost2", "labhost3"}) {
            int[] c = recap.get(h);
            if (h.equals(affected)) {
                assertThat(c[2] + c[3]).as(h + " reported failed or unreachable\n" + r.describe()).isEqualTo(1);
            } else {
                assertThat(c[2] + c[3]).as(h + " unaffected\n" + r.describe()).isZero();
                assertThat(c[0]).as(h + " ran both tasks\n" + r.describe()).isEqualTo(2);
                assertThat(lab.exec(h, "test -f /tmp/drover-fault-after").ok()).as(h + " ran the task after").isTrue();
            }
        }
        assertThat(lab.exec(affected, "test -f /tmp/drover-fault-after").ok()).as(affected + " stopped").isFalse();
    }

    /** No agent process on the host within 20 s (it stops when its controller's channel is gone). */
    private static void assertNoAgentLeft(String host) throws InterruptedException {
        awaitOn(host, "! pgrep -f 'drover-agent-.*[.]jar' >/dev/null");
    }

    private Path playbook(String firstTask) throws IOException {
        for (String h : new String[] {"labhost1", "labhost2", "labhost3"}) {
            lab.exec(h, "rm -f /tmp/drover-fault-after /tmp/.drover-fault-after*").orThrow();
        }
        return Files.writeString(tmp.resolve("fault.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - name: long task\n" + firstTask
                + "    - name: after\n      copy: {content: \"after\\n\", dest: /tmp/drover-fault-after}\n");
    }

    @Test
    void sshdChildKilledMidTask() throws Exception {
        // the per-connection sshd processes are the listener's children: kill them, as a crash or an OOM kill would
        Run r = faultMidTask("labhost1", "kill -9 $(pgrep -P $(cat /run/sshd.pid))");
        assertThat(r.exit()).as(r.describe()).isIn(2, 3);
        assertThat(r.out()).contains("[labhost1]: UNREACHABLE!");
        assertOthersFinished(r, "labhost1");
        assertNoAgentLeft("labhost1");
    }

    @Test
    void agentKilledMidTask() throws Exception {
        // drover_agent=wait: the task runs through the agent (by default it may run agentless while the agent starts)
        Run r = faultMidTask("labhost2", "kill -9 $(pgrep -f 'drover-agent-.*[.]jar')", "drover_agent=wait");
        assertThat(r.exit()).as(r.describe()).isIn(2, 3);
        assertThat(r.out()).containsPattern("fatal: \\[labhost2\\]: (FAILED|UNREACHABLE)!");
        assertOthersFinished(r, "labhost2");
    }

    /**
     * labhost3's network link goes down mid-task (agentless, so no agent is left behind): with a 1 s keepalive
     * the session is declared dead after three unanswered pings, the host is unreachable, the others finish.
     * Before KeepaliveConnectionService no keepalive was ever sent and this run waited forever.
     */
    @Test
    void linkDownMidTask() throws Exception {
        String route = lab.exec("labhost3", "ip route show default").orThrow().stdout().strip();
        String up = "ip link set eth0 up" + (route.isEmpty() ? "" : " && ip route replace " + route);
        try {
            Run r = faultMidTask("labhost3", "ip link set eth0 down", "drover_keepalive_interval=1");
            assertThat(r.exit()).as(r.describe()).isEqualTo(3);
            assertThat(r.out()).contains("fatal: [labhost3]: UNREACHABLE!");
            lab.exec("labhost3", up).orThrow();
            assertOthersFinished(r, "labhost3");
        } finally {
            lab.exec("labhost3", up);
        }
    }

    /** A copy that does not fit: the host fails with the reason, and neither the file nor a temp file is left. */
    @Test
    void fullDiskDuringCopy() throws Exception {
        for (String h : new String[] {"labhost1", "labhost2", "labhost3"}) {
            String size = h.equals("labhost3") ? "256k" : "8m";
            lab.exec(h, "mkdir -p /mnt/drover-full && mount -t tmpfs -o size=" + size + " tmpfs /mnt/drover-full")
                    .orThrow();
        }
        try {
            Path pb = playbook("      copy: {content: \"{{ 'x' * 1048576 }}\", dest: /mnt/drover-full/big}\n");
            Run r = play(pb).get(120, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.describe()).isEqualTo(2);
            // the write's own command reports the reason, which an SFTP server only called "Failure"
            assertThat(r.out()).contains("fatal: [labhost3]: FAILED!").contains("cannot write /mnt/drover-full/big")
                    .contains("No space left on device");
            assertOthersFinished(r, "labhost3");
            assertThat(lab.exec("labhost3", "ls -A /mnt/drover-full").orThrow().stdout()).as("nothing partial left")
                    .isBlank();
            assertThat(lab.exec("labhost1", "stat -c %s /mnt/drover-full/big").orThrow().stdout().strip())
                    .isEqualTo("1048576");
        } finally {
            for (String h : new String[] {"labhost1", "labhost2", "labhost3"}) {
                lab.exec(h, "umount /mnt/drover-full; rmdir /mnt/drover-full");
            }
        }
    }
}
