package dev.drover.host;

import java.time.Duration;
import java.util.List;

/**
 * How the engine runs and watches its host agents.
 *
 * @param installDir        where jars go on the host; a leading {@code ~/} means the (become) user's {@code $HOME}
 * @param jvmOptions        options for the host JVM; the defaults favour start-up time over peak speed
 * @param heartbeatInterval how often the engine pings each agent; null turns heartbeats off (tests only)
 * @param agentIdleTimeout  the agent exits when nothing arrived for this long (catches a controller that vanished
 *                          without the channel closing); generous so a paused controller keeps its agents
 * @param deadAfter         the engine declares an agent dead when a ping stays unanswered this long
 * @param handshakeTimeout  time for the host JVM to start and answer hello
 * @param execGrace         how long past an exec's own timeout the engine waits before giving up on the agent
 */
public record AgentOptions(String installDir, List<String> jvmOptions, Duration heartbeatInterval,
                           Duration agentIdleTimeout, Duration deadAfter, Duration handshakeTimeout,
                           Duration execGrace) {
    public static final List<String> FAST_START_JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xss512k", "-XX:-UsePerfData");

    public static final AgentOptions DEFAULTS = new AgentOptions("~/.drover/agent", FAST_START_JVM_OPTIONS,
            Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    public AgentOptions {
        if (installDir == null || installDir.isBlank()) throw new IllegalArgumentException("installDir is required");
        jvmOptions = List.copyOf(jvmOptions);
        if (agentIdleTimeout == null || agentIdleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("agentIdleTimeout must be at least one second");
        }
    }

    public AgentOptions withInstallDir(String dir) {
        return new AgentOptions(dir, jvmOptions, heartbeatInterval, agentIdleTimeout, deadAfter, handshakeTimeout, execGrace);
    }

    public AgentOptions withHeartbeat(Duration interval, Duration agentIdle, Duration dead) {
        return new AgentOptions(installDir, jvmOptions, interval, agentIdle, dead, handshakeTimeout, execGrace);
    }
}
