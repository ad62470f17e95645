package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HostOps contract through the real agent jar over LocalConnection (ShellHostOpsTest is the agentless half). */
class AgentHostOpsContractTest extends HostOpsContract {
    private AgentFixture fx;

    @Override
    protected HostOps newHost() throws Exception {
        fx = new AgentFixture();
        return fx.start();
    }

    /** Stops the agent first (the contract's close), then deletes its install directory. */
    @Override
    @AfterEach
    void close() throws Exception {
        super.close();
        fx.close();
    }

    @Test
    void reportsAgentMode() {
        assertThat(ops.mode()).isEqualTo("agent");
    }
}
