package dev.drover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared three-host lab (labhost3 without Java) as the other suites use it. */
class LabTest {

    private static Lab lab;

    @BeforeAll
    static void up() {
        lab = Lab.shared(3, "labhost3");
    }

    @Test
    void hostsHaveDistinctAddressesInTheLabSubnet() {
        assertThat(lab.hosts()).extracting(Lab.Host::name).containsExactly("labhost1", "labhost2", "labhost3");
        assertThat(lab.hosts()).extracting(Lab.Host::java).containsExactly(true, true, false);
        assertThat(lab.addresses().values()).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(a).matches("10\\.213\\.\\d{1,2}\\.1[1-3]"));
        assertThat(lab.status().orThrow().stdout()).contains("labhost1", "labhost2", "labhost3").doesNotContain("FAIL");
        assertThat(lab.group("master")).containsExactly(lab.host(1));
        assertThat(lab.group("replica")).containsExactly(lab.host(2));
        assertThat(lab.group("arbiter")).containsExactly(lab.host(3));
        assertThat(lab.group("nojava")).containsExactly(lab.host(3));
        assertThat(lab.group("java")).containsExactly(lab.host(1), lab.host(2));
    }

    @Test
    void realSshWithStrictHostKeyCheckingReachesEveryHost() {
        for (Lab.Host h : lab.hosts()) {
            // Through the generated ssh_config...
            assertThat(lab.ssh(h.name(), "hostname").orThrow().stdout().trim()).isEqualTo(h.name());
            // ...and with nothing but the address, the key and the known_hosts file.
            Lab.Result direct = lab.run(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + lab.knownHosts(),
                    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-i", lab.privateKey().toString(),
                    "root@" + h.address(), "hostname"), Map.of(), null, java.time.Duration.ofMinutes(1));
            assertThat(direct.orThrow().stdout().trim()).isEqualTo(h.name());
        }
    }

    @Test
    void strictCheckingRejectsAHostKeyThatIsNotInKnownHosts() throws Exception {
        // Prove the checking is real: labhost1's address listed with labhost2's key must be refused.
        Path wrong = Files.createTempFile(lab.stateDir(), "wrong_known_hosts", "");
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(lab.knownHosts())) {
                if (line.startsWith("labhost2,")) {
                    lines.add(line.replaceFirst("^labhost2,[^ ]+", "labhost1," + lab.host(1).address()));
                }
            }
            assertThat(lines).isNotEmpty();
            Files.write(wrong, lines);
            Lab.Result r = lab.run(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + wrong,
                    "-o", "GlobalKnownHostsFile=/dev/null", "-i", lab.privateKey().toString(),
                    "root@" + lab.host(1).address(), "true"), Map.of(), null, java.time.Duration.ofMinutes(1));
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(255);
            assertThat(r.stderr()).contains("HOST IDENTIFICATION HAS CHANGED");
        } finally {
            Files.deleteIfExists(wrong);
        }
    }

    @Test
    void eachHostHasItsOwnOptVarTmpHomeRootRunAndUsr() {
        String marker = "lab-" + UUID.randomUUID();
        for (String dir : List.of("/opt", "/var/lib", "/var/log", "/tmp", "/home", "/root", "/run/postgresql", "/dev/shm",
                "/usr/local/bin")) {
            String file = dir + "/" + marker;
            lab.ssh("labhost1", "echo one > " + file).orThrow();
            try {
                assertThat(lab.exec("labhost1", "cat " + file).orThrow().stdout().trim()).as(file).isEqualTo("one");
                assertThat(lab.exec("labhost2", "test -e " + file).exitCode()).as(file + " on labhost2").isEqualTo(1);
                assertThat(lab.ssh("labhost3", "test -e " + file).exitCode()).as(file + " on labhost3").isEqualTo(1);
                assertThat(Path.of(file)).as(file + " on the controller").doesNotExist();
            } finally {
                lab.exec("labhost1", "rm -f " + file).orThrow();
            }
        }
    }

    @Test
    void eachHostHasItsOwnProcessesAndEtc() {
        String marker = "lab-proc-" + UUID.randomUUID();
        String pattern = "'[l]" + marker.substring(1) + "'"; // matches the daemon, not the shell running pgrep
        // A daemon left behind by an ssh session, as an agent would be: it lives in labhost2 only.
        lab.ssh("labhost2", "nohup bash -c 'exec -a " + marker + " sleep 600' >/dev/null 2>&1 &").orThrow();
        try {
            assertThat(lab.exec("labhost2", "pgrep -f " + pattern).exitCode()).isZero();
            assertThat(lab.exec("labhost1", "pgrep -f " + pattern).exitCode()).isEqualTo(1);
            assertThat(lab.exec("labhost2", "cat /proc/1/cmdline | tr '\\0' ' '").orThrow().stdout()).contains("hostinit.sh");
        } finally {
            lab.exec("labhost2", "pkill -f " + pattern);
        }
        assertThat(lab.exec("labhost2", "for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f " + pattern + " || exit 0; sleep 0.2; done; exit 1")
                .exitCode()).as("daemon gone after pkill").isZero();

        lab.exec("labhost1", "echo lab-test > /etc/lab-test-marker").orThrow();
        try {
            assertThat(lab.exec("labhost2", "test -e /etc/lab-test-marker").exitCode()).isEqualTo(1);
            assertThat(Path.of("/etc/lab-test-marker")).doesNotExist();
        } finally {
            lab.exec("labhost1", "rm -f /etc/lab-test-marker").orThrow();
        }
    }

    @Test
    void orphansAreAdoptedAndReapedByTheHostsInit() {
        String marker = "lab-orphan-" + UUID.randomUUID();
        lab.ssh("labhost1", "(bash -c 'exec -a " + marker + " sleep 4' </dev/null >/dev/null 2>&1 &); exit 0").orThrow();
        // the orphan's bash may not have exec'd sleep yet when ssh returns (under load): wait until it has
        String ps = lab.exec("labhost1", "for i in $(seq 1 50); do ps -eo args | grep -qx '[l]" + marker.substring(1) + " 4' && break;"
                + " sleep 0.1; done; ps -eo ppid,args").orThrow().stdout();
        assertThat(ps.lines().filter(l -> l.contains(marker)).map(String::trim)).as(ps).containsExactly("1 " + marker + " 4");
        // Once it exits, PID 1 reaps it: no zombie remains.
        Lab.Result gone = lab.exec("labhost1", "for i in $(seq 1 100); do ps -eo stat,args | grep -q '[l]" + marker.substring(1)
                + "' || break; sleep 0.2; done; ps -eo stat= | grep -c '^Z' || true");
        assertThat(gone.orThrow().stdout().trim()).as(gone.describe()).isEqualTo("0");
    }

    @Test
    void hostsResolveAndReachEachOther() {
        Lab.Host two = lab.host(2);
        assertThat(lab.exec("labhost1", "getent hosts labhost2").orThrow().stdout()).contains(two.address());
        // labhost1 opens a TCP connection to labhost2's sshd and reads its banner.
        String banner = lab.exec("labhost1", "bash -c 'exec 3<>/dev/tcp/labhost2/22 && head -c 7 <&3'").orThrow().stdout();
        assertThat(banner).isEqualTo("SSH-2.0");
    }

    @Test
    void noJavaHostHasNoJava() {
        Lab.Result onNoJava = lab.ssh("labhost3", "command -v java; test -e /usr/bin/java; echo rc=$?; ls -A /usr/lib/jvm | wc -l");
        assertThat(onNoJava.stdout()).as(onNoJava.describe()).doesNotContain("/java\n").contains("rc=1").endsWith("0\n");
        assertThat(lab.exec("labhost3", "test -e /usr/lib/jvm").exitCode()).isEqualTo(1);
        assertThat(lab.exec("labhost3", "ls /usr/bin | grep -c -x -e java -e javac -e jshell -e keytool").stdout().trim()).isEqualTo("0");
        assertThat(lab.ssh("labhost3", "java -version").exitCode()).isEqualTo(127);
        assertThat(lab.exec("labhost3", "java -version").exitCode()).isEqualTo(127);
        // The other hosts do have it.
        assertThat(lab.ssh("labhost1", "java -version").orThrow().stderr()).contains("version");
    }

    @Test
    void unprivilegedUserBecomesRootWithSudo() {
        assertThat(lab.sshAs(lab.unprivilegedUser(), "labhost2", "id -un; sudo -n id -un").orThrow().stdout())
                .isEqualTo("drover\nroot\n");
    }

    @Test
    void ansiblePingSucceedsOnEveryHost() {
        Lab.Result r = lab.ansible("all", "-m", "ping", "-o");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        for (Lab.Host h : lab.hosts()) {
            assertThat(r.stdout()).as(r.describe()).containsPattern(h.name() + " \\| SUCCESS .*\"pong\"");
        }
        // The inventory's groups, for the PostgreSQL content.
        Lab.Result groups = lab.ansible("master:replica:arbiter", "--list-hosts");
        assertThat(groups.orThrow().stdout()).contains("labhost1", "labhost2", "labhost3");
        Lab.Result become = lab.ansible("nojava", "-u", "drover", "-b", "-m", "command", "-a", "id -un", "-o");
        assertThat(become.stdout()).as(become.describe()).containsPattern("labhost3 \\| CHANGED \\| rc=0 \\| \\(stdout\\) root");
    }

    @Test
    void upAgainKeepsTheRunningHosts() {
        String before = lab.status().orThrow().stdout();
        Lab.Result again = lab.run(List.of("bash", lab.script().toString(), "up", "3", "--no-java", "labhost3"),
                Map.of(), null, java.time.Duration.ofMinutes(2));
        assertThat(again.orThrow().stderr()).contains("0 started, 3 already running");
        assertThat(lab.status().orThrow().stdout()).isEqualTo(before);
    }
}
