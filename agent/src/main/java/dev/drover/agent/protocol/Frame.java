package dev.drover.agent.protocol;

import java.util.Collections;
import java.util.Map;

/**
 * One message on the channel: a request id chosen by the engine (a response carries the id of its request,
 * so many requests can be in flight and answered in any order), a {@link MessageType}, and a payload map.
 * The agent is Java 11, so this is a final class, not a record.
 */
public final class Frame {
    private final int id;
    private final int type;
    private final Map<String, Object> payload;

    public Frame(int id, int type, Map<String, Object> payload) {
        if (type < 0 || type > 255) throw new IllegalArgumentException("frame type out of range: " + type);
        this.id = id;
        this.type = type;
        this.payload = payload == null ? Collections.<String, Object>emptyMap() : payload;
    }

    public int id() {
        return id;
    }

    public int type() {
        return type;
    }

    public Map<String, Object> payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "Frame[id=" + id + ", type=" + MessageType.name(type) + ", keys=" + payload.keySet() + "]";
    }
}
