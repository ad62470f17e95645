package dev.drover.host;

import dev.drover.transport.CommandTimeoutException;
import dev.drover.agent.protocol.MessageType;
import dev.drover.agent.protocol.Payload;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HostOps} through the host agent: every call is one request on the agent's channel, so a module
 * step costs one round trip instead of a new SSH channel (and a process start) per primitive.
 * Safe for many threads at once. Closing it stops the agent and whatever it still runs.
 */
public final class AgentHostOps implements HostOps {
    private final AgentChannel channel;

    public AgentHostOps(AgentChannel channel) {
        this.channel = channel;
    }

    public AgentInfo info() {
        return channel.info();
    }

    public boolean isAlive() {
        return channel.isAlive();
    }

    @Override
    public ExecResult exec(ExecSpec spec) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        if (spec.shell() != null) p.put("shell", spec.shell());
        else p.put("argv", new ArrayList<Object>(spec.argv()));
        if (!spec.env().isEmpty()) p.put("env", new LinkedHashMap<String, Object>(spec.env()));
        if (spec.chdir() != null) p.put("chdir", spec.chdir());
        if (spec.stdin() != null) p.put("stdin", spec.stdin());
        Duration wait = null;
        if (spec.timeout() != null) {
            // The agent enforces the timeout and kills the command; the engine only gives up on an agent that
            // does not report back well after that.
            p.put("timeoutMs", Math.max(1, spec.timeout().toMillis()));
            wait = spec.timeout().plus(channel.options().execGrace());
        }
        Map<String, Object> r = channel.call(MessageType.EXEC, p, wait);
        return new ExecResult((int) Payload.lng(r, "rc", -1), bytes(r, "stdout"), bytes(r, "stderr"));
    }

    @Override
    public FileStat stat(String path, boolean checksum, boolean follow) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("path", path);
        p.put("checksum", checksum);
        p.put("follow", follow);
        return toStat(path, channel.call(MessageType.STAT, p, null));
    }

    private static FileStat toStat(String path, Map<String, Object> r) {
        if (!Payload.bool(r, "exists", false)) return FileStat.missing(path);
        return new FileStat(true, path, Payload.str(r, "type"), Payload.lng(r, "size", 0), (int) Payload.lng(r, "mode", 0),
                Payload.str(r, "owner"), Payload.str(r, "group"), (int) Payload.lng(r, "uid", -1),
                (int) Payload.lng(r, "gid", -1), Payload.lng(r, "mtime", 0), Payload.str(r, "linkTarget"),
                Payload.str(r, "checksum"));
    }

    @Override
    public FileStat writeFile(String path, byte[] content, FileAttrs attrs) throws IOException {
        Map<String, Object> p = attrs(path, attrs);
        p.put("content", content);
        return toStat(path, channel.call(MessageType.WRITE, p, null));
    }

    @Override
    public byte[] readFile(String path) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("path", path);
        return bytes(channel.call(MessageType.READ, p, null), "content");
    }

    @Override
    public FileStat mkdirs(String path, FileAttrs attrs) throws IOException {
        return toStat(path, channel.call(MessageType.MKDIRS, attrs(path, attrs), null));
    }

    @Override
    public boolean setAttrs(String path, FileAttrs attrs) throws IOException {
        return Payload.bool(channel.call(MessageType.SETATTRS, attrs(path, attrs), null), "changed", false);
    }

    @Override
    public void symlink(String target, String link) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("target", target);
        p.put("link", link);
        channel.call(MessageType.SYMLINK, p, null);
    }

    @Override
    public boolean remove(String path, boolean recursive) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("path", path);
        p.put("recursive", recursive);
        return Payload.bool(channel.call(MessageType.REMOVE, p, null), "existed", false);
    }

    /** Facts that ShellHostOps (HostFacts) reports as int; the wire carries every integer as a long. */
    private static final List<String> INT_FACTS = List.of("processor_vcpus", "processor_nproc", "processor_count",
            "processor_cores", "user_uid", "user_gid");

    @Override
    public Map<String, Object> facts() throws IOException {
        Map<String, Object> f = channel.call(MessageType.FACTS, new LinkedHashMap<>(), null);
        for (String k : INT_FACTS) {
            if (f.get(k) instanceof Long l) f.put(k, Math.toIntExact(l));
        }
        return f;
    }

    /** {@code wait_for} on the host; a condition not met in time throws {@link CommandTimeoutException}. */
    public WaitForResult waitFor(WaitForSpec spec) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("what", spec.what());
        if (spec.host() != null) p.put("host", spec.host());
        if (spec.port() > 0) p.put("port", (long) spec.port());
        if (spec.path() != null) p.put("path", spec.path());
        if (spec.regex() != null) p.put("regex", spec.regex());
        if (spec.state() != null) p.put("state", spec.state());
        p.put("timeoutMs", spec.timeout().toMillis());
        p.put("sleepMs", spec.sleep().toMillis());
        Map<String, Object> r = channel.call(MessageType.WAITFOR, p, spec.timeout().plus(channel.options().execGrace()));
        return new WaitForResult(Duration.ofMillis(Payload.lng(r, "elapsedMs", 0)), Payload.str(r, "match"));
    }

    /** The {@code expect} module's run; a prompt not seen in time throws {@link CommandTimeoutException}. */
    public ExpectResult expect(ExpectSpec spec) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("shell", spec.command());
        List<Object> responses = new ArrayList<>();
        for (ExpectSpec.Response r : spec.responses()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("regex", r.regex());
            m.put("answers", new ArrayList<Object>(r.answers()));
            responses.add(m);
        }
        p.put("responses", responses);
        if (!spec.env().isEmpty()) p.put("env", new LinkedHashMap<String, Object>(spec.env()));
        if (spec.chdir() != null) p.put("chdir", spec.chdir());
        p.put("timeoutMs", spec.timeout().toMillis());
        p.put("echo", spec.echo());
        p.put("pty", spec.pty());
        Map<String, Object> r = channel.call(MessageType.EXPECT, p, null);
        return new ExpectResult((int) Payload.lng(r, "rc", -1), bytes(r, "output"));
    }

    /** One round trip with no work on the host; for health checks and measurements. */
    public void ping() throws IOException {
        channel.call(MessageType.PING, new LinkedHashMap<>(), channel.options().deadAfter());
    }

    @Override
    public String mode() {
        return "agent";
    }

    @Override
    public void close() {
        channel.close();
    }

    private static Map<String, Object> attrs(String path, FileAttrs attrs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("path", path);
        if (attrs != null) {
            if (attrs.mode() != null) p.put("mode", (long) attrs.mode());
            if (attrs.owner() != null) p.put("owner", attrs.owner());
            if (attrs.group() != null) p.put("group", attrs.group());
        }
        return p;
    }

    private static byte[] bytes(Map<String, Object> r, String key) {
        byte[] b = Payload.bytes(r, key);
        return b == null ? new byte[0] : b;
    }
}
