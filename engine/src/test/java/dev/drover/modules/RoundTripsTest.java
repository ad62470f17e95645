package dev.drover.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.host.HostOps;
import dev.drover.host.ShellHostOps;
import dev.drover.transport.Connection;
import dev.drover.transport.ExecOptions;
import dev.drover.transport.ExecResult;
import dev.drover.transport.LocalConnection;
import dev.drover.transport.RemoteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How many round trips each file task costs agentless: every exec is a new SSH channel and a shell on the host,
 * which on a fleet is most of a file task's time (docs/performance.md). The tasks are bench/playbooks/files.yml's;
 * a change that adds a round trip to one of them fails here, with the counts of every task in the message.
 */
class RoundTripsTest extends ModuleTestBase {
    private final CountingConnection conn = new CountingConnection(new LocalConnection("testhost"));

    @Override
    protected HostOps newHost() {
        return new ShellHostOps(conn);
    }

    @Test
    void theBenchFileTasksCostOneToThreeExecsEach() throws IOException {
        Path dir = hostDir().resolve("bench");
        Files.createDirectories(controller.resolve("templates"));
        Files.writeString(controller.resolve("templates/motd.txt"), "welcome\n");
        Files.writeString(controller.resolve("templates/bench.conf.j2"), "port = 5432\nname = {{ inventory_hostname | default('x') }}\n");
        String d = dir.toString();
        Map<String, Integer> costs = new LinkedHashMap<>();
        measure(costs, "file absent (missing)", new FileModule(), args("path", d, "state", "absent"));
        measure(costs, "file directory", new FileModule(), args("path", d, "state", "directory", "mode", "0755"));
        measure(costs, "copy content", new CopyModule(), args("content", "hello\n", "dest", d + "/hello.txt", "mode", "0644"));
        measure(costs, "copy src", new CopyModule(), args("src", "templates/motd.txt", "dest", d + "/motd.txt"));
        measure(costs, "template", new TemplateModule(), args("src", "bench.conf.j2", "dest", d + "/bench.conf", "mode", "0640"));
        measure(costs, "lineinfile add", new LineinfileModule(), args("path", d + "/bench.conf", "line", "listen_addresses = '*'", "create", true));
        measure(costs, "lineinfile regexp", new LineinfileModule(), args("path", d + "/bench.conf", "regexp", "^port\\s*=", "line", "port = 5433"));
        measure(costs, "file touch (new)", new FileModule(), args("path", d + "/stamp", "state", "touch"));
        measure(costs, "copy content again", new CopyModule(), args("content", "hello\n", "dest", d + "/hello.txt", "mode", "0644"));
        measure(costs, "file directory again", new FileModule(), args("path", d, "state", "directory", "mode", "0755"));
        measure(costs, "file absent", new FileModule(), args("path", d, "state", "absent"));

        assertThat(costs).as("execs per task").isEqualTo(Map.ofEntries(
                Map.entry("file absent (missing)", 1),
                Map.entry("file directory", 2),
                Map.entry("copy content", 2),
                Map.entry("copy src", 2),
                Map.entry("template", 2),
                Map.entry("lineinfile add", 3),
                Map.entry("lineinfile regexp", 3),
                Map.entry("file touch (new)", 2),
                Map.entry("copy content again", 1),
                Map.entry("file directory again", 1),
                Map.entry("file absent", 1)));
        assertThat(Files.exists(dir)).isFalse();
    }

    private void measure(Map<String, Integer> costs, String task, Module m, Map<String, Object> a) throws IOException {
        int before = conn.execs.get();
        ModuleResult r = run(m, a);
        assertThat(r.failed()).as(task + ": " + r.values()).isFalse();
        costs.put(task, conn.execs.get() - before);
    }

    /** Counts what reaches the host; the work itself is done by the local connection. */
    private static final class CountingConnection implements Connection {
        final AtomicInteger execs = new AtomicInteger();
        private final Connection inner;

        CountingConnection(Connection inner) {
            this.inner = inner;
        }

        @Override
        public String host() {
            return inner.host();
        }

        @Override
        public ExecResult exec(String command, ExecOptions options) throws IOException {
            execs.incrementAndGet();
            return inner.exec(command, options);
        }

        @Override
        public RemoteProcess start(String command) throws IOException {
            execs.incrementAndGet();
            return inner.start(command);
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
