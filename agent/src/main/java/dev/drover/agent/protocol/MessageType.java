package dev.drover.agent.protocol;

/**
 * Frame types and their payload keys. Requests go engine → agent; every request gets exactly one
 * {@link #RESULT} or {@link #ERROR} with the same id (except {@link #CANCEL}, which also gets its own
 * RESULT). Integers travel as longs, durations as milliseconds, file modes as permission bits.
 */
public final class MessageType {
    /** {@code version} → {@code version, agent, pid, java, user, home}. The engine sends it first. */
    public static final int HELLO = 1;
    /** Liveness both ways: the agent exits when no frame has arrived for its heartbeat timeout. → {@code now}. */
    public static final int PING = 2;
    /**
     * {@code argv} (list) or {@code shell} (string), optional {@code env} (map), {@code chdir}, {@code stdin} (bytes),
     * {@code timeoutMs} → {@code rc, stdout, stderr}; on timeout an ERROR of kind {@code timeout}.
     */
    public static final int EXEC = 3;
    /** {@code target} (the id of a running request) → {@code found}; the target answers with kind {@code cancelled}. */
    public static final int CANCEL = 4;
    /** {@code path, checksum, follow} → {@code exists, type, size, mode, owner, group, uid, gid, mtime, linkTarget, checksum}. */
    public static final int STAT = 5;
    /** {@code path, content}, optional {@code mode, owner, group} → the written file's stat. Temp file + fsync + rename. */
    public static final int WRITE = 6;
    /** {@code path} → {@code content}. */
    public static final int READ = 7;
    /** {@code path}, optional {@code mode, owner, group} (last directory only) → its stat and {@code created}. */
    public static final int MKDIRS = 8;
    /** {@code path}, optional {@code mode, owner, group} → {@code changed}. */
    public static final int SETATTRS = 9;
    /** {@code target, link} → {@code changed}. Replaces an existing link atomically; refuses to replace a file. */
    public static final int SYMLINK = 10;
    /** {@code path, recursive} → {@code existed}. Never follows links. */
    public static final int REMOVE = 11;
    /** (none) → the facts map (Ansible setup keys without the {@code ansible_} prefix). */
    public static final int FACTS = 12;
    /**
     * {@code what}: {@code port} ({@code host, port, state: started|stopped}), {@code path}
     * ({@code path, state: present|absent}) or {@code regex} ({@code path, regex}); {@code timeoutMs, sleepMs}
     * → {@code elapsedMs, match}; ERROR kind {@code timeout} when the condition was not met in time.
     */
    public static final int WAITFOR = 13;
    /**
     * {@code shell}, {@code responses} (list of maps {@code regex, answers}), optional {@code env, chdir, timeoutMs}
     * (per expected prompt), {@code echo}, {@code pty} → {@code rc, output}. Plain pipes unless {@code pty} (then
     * under script(1)); stderr is merged into output.
     */
    public static final int EXPECT = 14;

    /** Success; payload depends on the request. */
    public static final int RESULT = 64;
    /** Failure: {@code kind} (see {@link ErrorKind}) and {@code message}, written for a person. */
    public static final int ERROR = 65;

    public static final int PROTOCOL_VERSION = 1;

    private MessageType() {}

    public static String name(int type) {
        switch (type) {
            case HELLO: return "hello";
            case PING: return "ping";
            case EXEC: return "exec";
            case CANCEL: return "cancel";
            case STAT: return "stat";
            case WRITE: return "write";
            case READ: return "read";
            case MKDIRS: return "mkdirs";
            case SETATTRS: return "setattrs";
            case SYMLINK: return "symlink";
            case REMOVE: return "remove";
            case FACTS: return "facts";
            case WAITFOR: return "waitfor";
            case EXPECT: return "expect";
            case RESULT: return "result";
            case ERROR: return "error";
            default: return "type-" + type;
        }
    }
}
