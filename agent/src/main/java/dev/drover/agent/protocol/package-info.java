/**
 * The wire protocol between the engine and the host agent, shared by both sides (Java 11, no dependencies).
 *
 * <p>One byte stream each way (the agent's stdin and stdout over one SSH channel). The agent first writes
 * {@link dev.drover.agent.protocol.FrameIO#MAGIC}; the engine skips anything before it (a login banner).
 * Then both sides exchange {@link dev.drover.agent.protocol.Frame}s: {@code int32 length, int32 id,
 * uint8 type, payload}, where the payload is a {@link dev.drover.agent.protocol.Codec}-encoded map.
 *
 * <p>The engine picks request ids; the agent answers each request with one RESULT or ERROR frame carrying
 * the same id, in whatever order requests finish, so any number can be in flight. PING and CANCEL are
 * answered at once on the agent's reader thread; everything else runs on its pool. The request types and
 * their payload keys are listed in {@link dev.drover.agent.protocol.MessageType}; error kinds in
 * {@link dev.drover.agent.protocol.ErrorKind}. HELLO carries {@link dev.drover.agent.protocol.MessageType#PROTOCOL_VERSION};
 * since agents are stored under the sha256 of their jar, an engine only ever talks to the agent it shipped,
 * and the version check guards against mistakes rather than skew.
 *
 * <p>Lifetimes: the agent exits, killing every process it started, when its stdin ends (the channel closed
 * or the controller died), when no byte arrived for its heartbeat timeout, on SIGTERM/SIGHUP, or on a
 * protocol error.
 */
package dev.drover.agent.protocol;
