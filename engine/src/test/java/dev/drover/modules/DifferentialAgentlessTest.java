package dev.drover.modules;

import dev.drover.host.HostOps;

class DifferentialAgentlessTest extends DifferentialContract {
    @Override
    protected HostOps newHost() {
        return Hosts.agentless();
    }
}
