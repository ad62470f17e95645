package dev.drover.modules;

import dev.drover.host.HostOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the module tests. Each suite is abstract and gets its host from {@link #newHost()}, so the same
 * tests run against every HostOps implementation: {@code ...AgentlessTest} subclasses use ShellHostOps over
 * LocalConnection; the agent's subclasses only need to return an AgentHostOps.
 */
abstract class ModuleTestBase {
    @TempDir
    Path tmp;

    HostOps host;
    Path controller;
    final Map<String, Object> vars = new LinkedHashMap<>();

    protected abstract HostOps newHost() throws IOException;

    @BeforeEach
    void openHost() throws IOException {
        host = newHost();
        controller = Files.createDirectories(tmp.resolve("controller"));
    }

    @AfterEach
    void closeHost() throws IOException {
        host.close();
    }

    /** A directory on the "host" (the same machine in these tests), outside the controller directory. */
    Path hostDir() throws IOException {
        return Files.createDirectories(tmp.resolve("host"));
    }

    ModuleResult run(Module m, Map<String, Object> args) throws IOException {
        return new TestContext(m, args, host, false, false, controller, vars).run(m);
    }

    ModuleResult check(Module m, Map<String, Object> args) throws IOException {
        return new TestContext(m, args, host, true, true, controller, vars).run(m);
    }

    ModuleResult diff(Module m, Map<String, Object> args) throws IOException {
        return new TestContext(m, args, host, false, true, controller, vars).run(m);
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
