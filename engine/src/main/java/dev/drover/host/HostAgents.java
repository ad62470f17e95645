package dev.drover.host;

import dev.drover.transport.Connection;
import java.io.Closeable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The agents of one host: one per user (the login user and each become user), started on first use and
 * kept for the run, as Mitogen keeps one interpreter per account. An agent that died is started again on
 * the next request for its user; the call that saw it die has already failed as unreachable.
 */
public final class HostAgents implements Closeable {
    private final AgentInstaller installer;
    private final Connection conn;
    private final boolean enabled;
    private final Map<String, AgentInstaller.Outcome> byUser = new LinkedHashMap<>();

    /** @param enabled false when the host has {@code drover_agent: false} */
    public HostAgents(AgentInstaller installer, Connection conn, boolean enabled) {
        this.installer = installer;
        this.conn = conn;
        this.enabled = enabled;
    }

    /**
     * The agent for a user, or why there is none (then use ShellHostOps).
     *
     * @param user   the become user, or null for the login user
     * @param become wraps a command to run as {@code user}; null for the login user
     */
    public synchronized AgentInstaller.Outcome forUser(String user, UnaryOperator<String> become) throws IOException {
        String key = user == null ? "" : user;
        AgentInstaller.Outcome o = byUser.get(key);
        if (o instanceof AgentInstaller.Installed i && !i.ops().isAlive()) {
            i.ops().close();
            o = null;
        }
        if (o == null) {
            o = installer.connect(conn, become, enabled);
            byUser.put(key, o);
        }
        return o;
    }

    /** Stops every agent of this host; each kills what it still runs. */
    @Override
    public synchronized void close() {
        for (AgentInstaller.Outcome o : byUser.values()) {
            if (o instanceof AgentInstaller.Installed i) i.ops().close();
        }
        byUser.clear();
    }
}
