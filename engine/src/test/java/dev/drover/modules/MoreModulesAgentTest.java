package dev.drover.modules;

import dev.drover.host.HostOps;

/** The same suite through the agent (see Hosts.agent()). */
class MoreModulesAgentTest extends MoreModulesContract {
    @Override
    protected HostOps newHost() throws java.io.IOException {
        return Hosts.agent();
    }
}
