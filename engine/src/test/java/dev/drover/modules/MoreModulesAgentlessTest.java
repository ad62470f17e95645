package dev.drover.modules;

import dev.drover.host.HostOps;

class MoreModulesAgentlessTest extends MoreModulesContract {
    @Override
    protected HostOps newHost() {
        return Hosts.agentless();
    }
}
