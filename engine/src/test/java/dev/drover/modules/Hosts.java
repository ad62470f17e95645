package dev.drover.modules;

import dev.drover.host.HostOps;
import dev.drover.host.ShellHostOps;
import dev.drover.transport.LocalConnection;

/** HostOps factories for the test suites. */
final class Hosts {
    private Hosts() {}

    static HostOps agentless() {
        return new ShellHostOps(new LocalConnection("localhost"));
    }
}
