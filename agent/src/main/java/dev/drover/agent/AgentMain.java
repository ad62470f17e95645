package dev.drover.agent;

/** Entry point of the host agent; the protocol loop is built in the hosts issue. */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        System.out.println("drover-agent");
    }
}
