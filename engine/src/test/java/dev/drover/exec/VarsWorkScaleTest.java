package dev.drover.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.modules.ModuleRegistry;
import dev.drover.playbook.PlayOptions;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.ModuleResolver;
import dev.drover.playbook.NativeActions;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.report.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable work per task and host does not grow with the inventory (Ansible's #73654), counted rather than
 * timed: the same 10-task playbook on 10 and on 1000 hosts, with the work the run reports through
 * {@link VarsWork}. Controller-side tasks only (set_fact, debug, assert, fail), so the test measures the engine
 * and not 10,000 process starts.
 */
class VarsWorkScaleTest {
    @TempDir
    Path dir;

    record Counts(VarsWork work, int results, int failed) {}

    private Counts run(int hosts) throws IOException {
        Path d = Files.createDirectories(dir.resolve("h" + hosts));
        StringBuilder inv = new StringBuilder("[fleet]\n");
        for (int i = 0; i < hosts; i++) inv.append(String.format("h%04d%n", i));
        inv.append("[fleet:vars]\nansible_connection=local\ndrover_agent=false\nport=5432\n");
        Files.writeString(d.resolve("inventory.ini"), inv);
        // every task reads the shared magic variables (groups, the play's host lists, hostvars, update_errors);
        // h0003 fails in task 5, so the host lists change once during the play
        Files.writeString(d.resolve("play.yml"), """
                - hosts: fleet
                  gather_facts: false
                  vars:
                    dsn: "host={{ inventory_hostname }} port={{ port }}"
                  tasks:
                    - set_fact: {n: "{{ ansible_play_hosts | length }}"}
                    - debug: {msg: "{{ dsn }} of {{ groups['fleet'] | length }}"}
                    - assert: {that: ["hostvars[inventory_hostname].n | int == ansible_play_hosts_all | length"]}
                    - set_fact: {peer: "{{ hostvars[ansible_play_batch[0]].n }} {{ dsn }}"}
                    - fail: {msg: "one host fails"}
                      when: inventory_hostname == 'h0003'
                    - debug: {msg: "{{ update_errors.aggregate | length }} {{ ansible_play_hosts | length }}"}
                    - set_fact: {m: "{{ n | int + 1 }}"}
                    - assert: {that: ["m | int > 1", "'h0003' not in ansible_play_hosts"]}
                    - debug: {msg: "{{ peer }} {{ play_hosts | length }}"}
                    - debug: {var: m}
                """);
        PlaybookLoader loader = new PlaybookLoader(new ModuleResolver(List.of(
                new NativeActions(ModuleRegistry.standard().names(), Executor.controllerActions()))), List.of(), List.of());
        Playbook pb = loader.load(d.resolve("play.yml"));
        PlayOptions opts = new PlayOptions(List.of(d.resolve("play.yml")), List.of(d.resolve("inventory.ini").toString()),
                null, Set.of(), Set.of(), Map.of(), null, false, false, 20, 0, null, false, null, null, null, false,
                false, null, null, false, List.of(), false, false, List.of(), false, false, false, false, false);
        VarsWork work = new VarsWork();
        AtomicInteger results = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        int code = new Executor(e -> {
            if (e instanceof Event.HostResult r) {
                results.incrementAndGet();
                if (r.status() == Event.Status.FAILED) {
                    failed.incrementAndGet();
                    if (!r.host().equals("h0003")) synchronized (unexpected) { unexpected.add(r.host() + ": " + r.result()); }
                }
            }
        }, loader, ModuleRegistry.standard(), DefaultHostAccess::new, work).run(opts, List.of(pb));
        assertThat(unexpected).isEmpty();
        assertThat(code).isEqualTo(2);
        return new Counts(work, results.get(), failed.get());
    }

    @Test
    void variableWorkPerTaskAndHostIsTheSameFor10And1000Hosts() throws IOException {
        Counts small = run(10);
        Counts large = run(1000);
        for (Counts c : List.of(small, large)) {
            // the numbers docs/performance.md quotes
            System.out.printf("vars work: %d results, %d variable sets (%.2f per result), %.2f layers per set,"
                    + " %d shared entries built%n", c.results(), c.work().layerSets(),
                    (double) c.work().layerSets() / c.results(), (double) c.work().layers() / c.work().layerSets(),
                    c.work().built());
        }
        // every host ran every task (h0003 stopped after its failure in task 5)
        assertThat(small.results()).isEqualTo(10 * 10 - 5);
        assertThat(large.results()).isEqualTo(1000 * 10 - 5);
        assertThat(large.failed()).isEqualTo(1);

        // the variable sets built per result, and the layers in each, do not depend on the inventory's size
        double setsSmall = (double) small.work().layerSets() / small.results();
        double setsLarge = (double) large.work().layerSets() / large.results();
        assertThat(setsLarge).isCloseTo(setsSmall, org.assertj.core.data.Offset.offset(0.2));
        double layersSmall = (double) small.work().layers() / small.work().layerSets();
        double layersLarge = (double) large.work().layers() / large.work().layerSets();
        assertThat(layersLarge).isCloseTo(layersSmall, org.assertj.core.data.Offset.offset(0.5));

        // the shared magic variables are built once and rebuilt only when something changed (the one failure),
        // not after each of the 10 tasks: about 2 host lists at the start and 2 after the failure, so ~4
        // entries per host; rebuilding them after every task would be ~20 per host
        assertThat(large.work().built()).isLessThan(5L * 1000);
        assertThat((double) large.work().built() / 1000).isLessThan((double) small.work().built() / 10);
    }
}
