package dev.drover.exec;

import dev.drover.host.HostOps;
import java.io.IOException;
import java.util.Map;
import dev.drover.transport.Become;

/**
 * Opens the primitives for a host: through the agent where the host has Java, else agentless; one per host and
 * become user, kept for the run. {@code connectionVars} are the host's templated connection variables
 * ({@code ansible_host}, {@code ansible_port}, {@code ansible_user}, {@code ansible_connection}, become...).
 */
interface HostAccess extends AutoCloseable {

    HostOps open(String host, Map<String, Object> connectionVars, Become become) throws IOException;

    @Override
    void close();
}
