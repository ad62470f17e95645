package dev.drover.modules;

import dev.drover.host.HostOps;

class LineinfileModuleAgentlessTest extends LineinfileModuleContract {
    @Override
    protected HostOps newHost() {
        return Hosts.agentless();
    }
}
