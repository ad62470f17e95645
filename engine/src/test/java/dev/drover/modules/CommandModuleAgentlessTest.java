package dev.drover.modules;

import dev.drover.host.HostOps;

class CommandModuleAgentlessTest extends CommandModuleContract {
    @Override
    protected HostOps newHost() {
        return Hosts.agentless();
    }
}
