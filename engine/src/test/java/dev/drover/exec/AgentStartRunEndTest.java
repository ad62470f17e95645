package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.host.AgentOptions;
import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.ModuleResolver;
import dev.drover.playbook.NativeActions;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.report.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose tasks are done while the host's agent is still starting ends at once: the start is given up, not
 * waited for, and no agent JVM is left on the host. The "slow start" is a real agent JVM held at its start by
 * HotSpot's PauseAtStartup (it waits until its pause file is removed), as a JVM starting on a host whose CPUs
 * are busy.
 */
class AgentStartRunEndTest {
    @TempDir
    Path dir;

    @Test
    void aRunDoesNotWaitForAnAgentStillStartingAndLeavesNoAgentRunning() throws Exception {
        Path pause = dir.resolve("agent.paused");
        Files.writeString(dir.resolve("inventory.ini"), "[hosts]\nlocalbox ansible_connection=local drover_agent=true\n");
        // the task ends once the agent's JVM is held at its start, so the run ends while the start is under way
        Files.writeString(dir.resolve("play.yml"), """
                - hosts: hosts
                  gather_facts: false
                  tasks:
                    - name: wait until the agent's JVM is starting
                      shell: "i=0; while [ ! -f %s ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; test -f %s"
                """.formatted(pause, pause));
        List<String> jvm = new ArrayList<>(AgentOptions.FAST_START_JVM_OPTIONS);
        jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup", "-XX:PauseAtStartupFile=" + pause));
        AgentOptions agents = new AgentOptions(dir.resolve("install").toString(), jvm, null, Duration.ofSeconds(300),
                Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(30));

        PlaybookLoader loader = new PlaybookLoader(new ModuleResolver(List.of(
                new NativeActions(ModuleRegistry.standard().names(), Executor.controllerActions()))), List.of(), List.of());
        Playbook pb = loader.load(dir.resolve("play.yml"));
        PlayOptions opts = new PlayOptions(List.of(dir.resolve("play.yml")), List.of(dir.resolve("inventory.ini").toString()),
                null, Set.of(), Set.of(), Map.of(), null, false, false, 5, 0, null, false, null, null, null, false,
                false, null, null, false, List.of(), false, false, List.of(), false, false, false, false, false);
        List<Event.HostResult> results = new ArrayList<>();
        long[] taskDone = new long[1];
        int code = new Executor(e -> {
            if (e instanceof Event.HostResult r) {
                synchronized (results) {
                    results.add(r);
                    taskDone[0] = System.nanoTime();
                }
            }
        }, loader, ModuleRegistry.standard(), o -> new DefaultHostAccess(o, agents)).run(opts, List.of(pb));
        long ended = System.nanoTime();

        assertThat(code).isZero();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).isEqualTo(Event.Status.CHANGED);
        List<ProcessHandle> paused = agentJvms(pause);
        try {
            // before: the run waited for the start (up to 15 s; forever for this JVM, cut off after 15 s)
            assertThat(Duration.ofNanos(ended - taskDone[0])).as("from the last result to the end of the run")
                    .isLessThan(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!agentJvms(pause).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(agentJvms(pause)).as("agent JVMs left after the run").isEmpty();
        } finally {
            paused.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The agent JVMs of this test: their command line names its pause file. */
    private static List<ProcessHandle> agentJvms(Path pause) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("PauseAtStartupFile=" + pause)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }
}
