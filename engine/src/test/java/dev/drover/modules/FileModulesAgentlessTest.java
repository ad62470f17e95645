package dev.drover.modules;

import dev.drover.host.HostOps;

class FileModulesAgentlessTest extends FileModulesContract {
    @Override
    protected HostOps newHost() {
        return Hosts.agentless();
    }
}
