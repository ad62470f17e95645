package dev.drover.host;

/** What the agent said about itself in the handshake. */
public record AgentInfo(int protocol, String agentVersion, long pid, String javaVersion, String user, String home) {}
