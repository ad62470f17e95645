package dev.drover.exec;

import dev.drover.host.HostOps;
import java.io.IOException;
import java.util.Map;

/**
 * Opens the primitives for a host: through the agent where the host has Java, else agentless; one per host and
 * become user, kept for the run. {@code connectionVars} are the host's templated connection variables
 * ({@code ansible_host}, {@code ansible_port}, {@code ansible_user}, {@code ansible_connection}, become...).
 */
interface HostAccess extends AutoCloseable {

    HostOps open(String host, Map<String, Object> connectionVars, Become become) throws IOException;

    @Override
    void close();

    /** Privilege escalation wanted by a task; {@code enabled == false} means run as the connecting user. */
    record Become(boolean enabled, String user, String method, String flags, String password) {
        static final Become NONE = new Become(false, null, null, null, null);

        @Override
        public String toString() {
            return enabled ? "become " + method + " " + user : "no become";
        }
    }
}
