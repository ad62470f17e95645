package dev.drover.agent;

import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.MessageType;
import dev.drover.agent.protocol.Payload;
import java.util.LinkedHashMap;
import java.util.Map;

/** Routes a request to the code that does it. */
final class Handlers {
    static final String AGENT_VERSION = "0.1.0";

    private final ExecHandler exec;
    private final FileHandler files;
    private final FactsHandler facts;
    private final WaitForHandler waitFor;

    Handlers(ExecHandler exec, FileHandler files, FactsHandler facts, WaitForHandler waitFor) {
        this.exec = exec;
        this.files = files;
        this.facts = facts;
        this.waitFor = waitFor;
    }

    Map<String, Object> handle(int type, Map<String, Object> p, Running r) throws RequestFailure, InterruptedException {
        switch (type) {
            case MessageType.HELLO:
                return hello(p);
            case MessageType.EXEC:
                return exec.exec(p, r);
            case MessageType.EXPECT:
                return exec.expect(p, r);
            case MessageType.STAT:
                return files.stat(p);
            case MessageType.WRITE:
                return files.write(p);
            case MessageType.READ:
                return files.read(p);
            case MessageType.MKDIRS:
                return files.mkdirs(p);
            case MessageType.SETATTRS:
                return files.setAttrs(p);
            case MessageType.SYMLINK:
                return files.symlink(p);
            case MessageType.REMOVE:
                return files.remove(p);
            case MessageType.FACTS:
                return facts.facts();
            case MessageType.WAITFOR:
                return waitFor.waitFor(p);
            default:
                throw new RequestFailure(ErrorKind.BAD_REQUEST, "unknown request type " + type
                        + " (agent " + AGENT_VERSION + ", protocol " + MessageType.PROTOCOL_VERSION + ")");
        }
    }

    private static Map<String, Object> hello(Map<String, Object> p) throws RequestFailure {
        long theirs = Payload.lng(p, "version", -1);
        if (theirs != MessageType.PROTOCOL_VERSION) {
            throw new RequestFailure(ErrorKind.BAD_REQUEST, "engine speaks protocol " + theirs + ", this agent speaks "
                    + MessageType.PROTOCOL_VERSION);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", (long) MessageType.PROTOCOL_VERSION);
        r.put("agent", AGENT_VERSION);
        r.put("pid", ProcessHandle.current().pid());
        r.put("java", System.getProperty("java.version"));
        r.put("user", System.getProperty("user.name"));
        r.put("home", System.getProperty("user.home"));
        return r;
    }
}
