package dev.drover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code lab.sh down} must leave the machine as it found it: namespaces, links, mounts, processes, files. */
class LabDownTest {

    /** What the root namespace shows of namespaces, links and mounts. */
    record Snapshot(Set<String> netns, Set<String> links, Set<String> mounts) {
        static Snapshot take() {
            return new Snapshot(
                    lines("ip netns list | awk '{print $1}'"),
                    lines("ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1"),
                    lines("findmnt -rn -o TARGET,SOURCE,FSTYPE"));
        }

        private static Set<String> lines(String cmd) {
            Lab.Result r = Lab.controller(cmd).orThrow();
            Set<String> s = new TreeSet<>();
            r.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(s::add);
            return s;
        }
    }

    private static final Pattern OTHER_LAB = Pattern.compile("^dlab(\\d+)");

    /** Entries of {@code after} missing from {@code before}, except those of other labs (other ids) running meanwhile. */
    private static List<String> added(Set<String> before, Set<String> after, String id) {
        List<String> out = new ArrayList<>();
        for (String e : after) {
            if (before.contains(e)) {
                continue;
            }
            Matcher m = OTHER_LAB.matcher(e);
            if (m.find() && !m.group(1).equals(id)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    /** Processes whose command line mentions {@code dir} (sshd is started with its log file there). */
    private static List<String> processesNaming(Path dir) {
        List<String> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cmdline.contains(dir.toString())) {
                    out.add(p.pid() + " " + cmdline);
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        });
        return out;
    }

    @Test
    void downRemovesNamespacesLinksMountsProcessesAndState() throws Exception {
        // Another lab runs meanwhile (the shared one): down must end only what its own lab started.
        Lab other = Lab.shared(3, "labhost3");
        String otherStatus = other.status().orThrow().stdout();
        Path state = Lab.defaultStateDir().resolveSibling(Lab.defaultStateDir().getFileName() + "-downtest-" + ProcessHandle.current().pid());
        Snapshot before = Snapshot.take();
        String id;
        List<Long> pids = new ArrayList<>();
        Lab lab = Lab.start(state, 2, "labhost2");
        try {
            id = Files.readString(state.resolve("id")).trim();
            assertThat(id).isNotEqualTo(Files.readString(other.stateDir().resolve("id")).trim());
            assertThat(lab.host(1).address()).isNotIn(other.addresses().values());
            String prefix = "dlab" + id;
            Snapshot during = Snapshot.take();
            // The lab is really there, so the checks below are not vacuous.
            assertThat(during.netns()).contains(prefix + "h1", prefix + "h2");
            assertThat(during.links()).contains(prefix + "br", prefix + "v1", prefix + "v2");
            assertThat(lab.status().orThrow().stdout()).contains("labhost1", "labhost2");
            for (String h : List.of("labhost1", "labhost2")) {
                long init = Long.parseLong(Files.readString(state.resolve("hosts/" + h + "/init.pid")).trim());
                pids.add(init);
                for (String child : Lab.controller("pgrep -P " + init).orThrow().stdout().trim().split("\\s+")) {
                    pids.add(Long.parseLong(child));
                }
            }
            assertThat(pids).hasSize(4).allSatisfy(p -> assertThat(ProcessHandle.of(p)).isPresent());
            assertThat(processesNaming(state)).isNotEmpty();
            assertThat(Path.of("/run/drover-lab/ids/" + id + "/owner")).hasContent(state.toRealPath().toString());
        } finally {
            lab.close();
        }

        Snapshot after = Snapshot.take();
        assertThat(added(before.netns(), after.netns(), id)).as("network namespaces left").isEmpty();
        assertThat(added(before.links(), after.links(), id)).as("links left").isEmpty();
        List<String> mounts = added(before.mounts(), after.mounts(), id);
        if (!after.netns().isEmpty()) {
            // Another lab (another work tree's) keeps /run/netns mounted; ours would have removed it.
            mounts.removeIf(m -> m.startsWith("/run/netns "));
        }
        assertThat(mounts).as("mounts left").isEmpty();
        assertThat(after.netns()).noneMatch(n -> n.startsWith("dlab" + id + "h"));
        assertThat(after.links()).noneMatch(l -> l.startsWith("dlab" + id));
        assertThat(pids).as("host processes (init, sshd)").allSatisfy(p ->
                assertThat(ProcessHandle.of(p).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(processesNaming(state)).as("processes naming the state dir").isEmpty();
        assertThat(state).doesNotExist();
        assertThat(Path.of("/run/drover-lab/ids/" + id)).doesNotExist();
        assertThat(other.status().orThrow().stdout()).as("the other lab is untouched").isEqualTo(otherStatus);
    }

    @Test
    void downWithoutALabIsANoOp() {
        Path state = Lab.defaultStateDir().resolveSibling(Lab.defaultStateDir().getFileName() + "-never-up-" + ProcessHandle.current().pid());
        Lab.Result r = Lab.controller("DROVER_LAB_STATE=" + state + " bash " + Lab.repoRoot().resolve("lab/lab.sh") + " down");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(state).doesNotExist();
    }
}
