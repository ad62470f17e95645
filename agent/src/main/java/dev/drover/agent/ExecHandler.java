package dev.drover.agent;

import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.Payload;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Runs commands: plain exec, and expect (answers prompts read from the command's output). */
final class ExecHandler {
    /**
     * After the command exits, how long to keep reading its pipes. A background process it left behind
     * (e.g. {@code pg_ctl start} without {@code -l}) can hold them open forever; then the output so far is
     * returned instead of hanging the task.
     */
    private static final long PIPE_GRACE_MS = 2000;

    private final ExecutorService pool;

    ExecHandler(ExecutorService pool) {
        this.pool = pool;
    }

    Map<String, Object> exec(Map<String, Object> p, Running r) throws RequestFailure, InterruptedException {
        byte[] stdin = Payload.bytes(p, "stdin");
        long timeoutMs = Payload.lng(p, "timeoutMs", 0);
        Process proc;
        try {
            proc = start(p, false, stdin != null);
        } catch (RequestFailure e) {
            if (!ErrorKind.NOT_FOUND.equals(e.kind()) && !ErrorKind.DENIED.equals(e.kind())) throw e;
            // Reported as sh would (the agentless ShellHostOps runs "cd dir || exit 1; exec prog"): modules must
            // not see a difference between the two, and the command module turns 127 into Ansible's message.
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("rc", (long) (e.getMessage().startsWith("chdir:") ? 1 : ErrorKind.DENIED.equals(e.kind()) ? 126 : 127));
            res.put("stdout", new byte[0]);
            res.put("stderr", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return res;
        }
        r.attach(proc);
        Drain out = new Drain(proc.getInputStream());
        Drain err = new Drain(proc.getErrorStream());
        pool.execute(out);
        pool.execute(err);
        if (stdin != null) {
            pool.execute(() -> {
                try (OutputStream os = proc.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the command exited without reading all of its input, which is its right
                }
            });
        }
        try {
            if (timeoutMs > 0) {
                if (!proc.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                    ProcessTree.kill(proc.toHandle());
                    throw new RequestFailure(ErrorKind.TIMEOUT, "command timed out after " + seconds(timeoutMs)
                            + "; it was killed" + soFar(out.snapshot(), err.snapshot()));
                }
            } else {
                proc.waitFor();
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(proc.toHandle());
            throw e;
        }
        long deadline = System.nanoTime() + PIPE_GRACE_MS * 1_000_000;
        out.await(deadline);
        err.await(deadline);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("rc", (long) proc.exitValue());
        res.put("stdout", out.snapshot());
        res.put("stderr", err.snapshot());
        return res;
    }

    /**
     * Expect. Over plain pipes by default: works for programs that read answers from stdin. With {@code pty}
     * the command runs under util-linux {@code script(1)}, which gives it a terminal, for programs that open
     * /dev/tty themselves (passwd, su); the output then has terminal line endings (CR LF) and echoes.
     */
    Map<String, Object> expect(Map<String, Object> p, Running r) throws RequestFailure, InterruptedException {
        List<Prompt> prompts = new ArrayList<>();
        for (Object o : Payload.list(p, "responses")) {
            if (!(o instanceof Map)) throw new RequestFailure(ErrorKind.BAD_REQUEST, "each response must be a map");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            String regex = Payload.requireStr(m, "regex");
            List<String> answers = new ArrayList<>();
            for (Object a : Payload.list(m, "answers")) answers.add(String.valueOf(a));
            try {
                prompts.add(new Prompt(Pattern.compile(regex), answers));
            } catch (PatternSyntaxException e) {
                throw new RequestFailure(ErrorKind.BAD_REQUEST, "bad regex '" + regex + "': " + e.getDescription());
            }
        }
        long timeoutMs = Payload.lng(p, "timeoutMs", 30_000);
        boolean echo = Payload.bool(p, "echo", false);
        if (Payload.bool(p, "pty", false) && !onPath("script")) {
            throw new RequestFailure(ErrorKind.NOT_FOUND, "expect with a pty needs script(1) from util-linux, which is not on PATH");
        }
        Process proc = start(p, true, true);
        r.attach(proc);
        Drain out = new Drain(proc.getInputStream());
        pool.execute(out);
        OutputStream stdin = proc.getOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        int searchFrom = 0;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        try {
            while (true) {
                byte[] seen = out.snapshot();
                String text = new String(seen, searchFrom, seen.length - searchFrom, StandardCharsets.UTF_8);
                Prompt best = null;
                Matcher bestMatch = null;
                for (Prompt pr : prompts) {
                    Matcher m = pr.pattern.matcher(text);
                    if (m.find() && (bestMatch == null || m.start() < bestMatch.start())) {
                        best = pr;
                        bestMatch = m;
                    }
                }
                if (best != null) {
                    String answer = best.next();
                    if (answer == null) {
                        ProcessTree.kill(proc.toHandle());
                        throw new RequestFailure(ErrorKind.IO, "no remaining responses for '" + best.pattern.pattern()
                                + "'; output was: " + tail(seen));
                    }
                    searchFrom += text.substring(0, bestMatch.end()).getBytes(StandardCharsets.UTF_8).length;
                    byte[] line = (answer + "\n").getBytes(StandardCharsets.UTF_8);
                    try {
                        stdin.write(line);
                        stdin.flush();
                    } catch (IOException e) {
                        // the command exited before reading the answer; its exit status tells the rest
                    }
                    if (echo) echoed.write(line, 0, line.length);
                    deadline = System.nanoTime() + timeoutMs * 1_000_000;
                    continue;
                }
                if (out.isDone() && !proc.isAlive()) break;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    ProcessTree.kill(proc.toHandle());
                    throw new RequestFailure(ErrorKind.TIMEOUT, "command exceeded the expect timeout of " + seconds(timeoutMs)
                            + " waiting for a prompt; output was: " + tail(seen));
                }
                out.awaitChange(seen.length, Math.min(left, 200_000_000L));
            }
            proc.waitFor();
        } catch (InterruptedException e) {
            ProcessTree.kill(proc.toHandle());
            throw e;
        } finally {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already closed by the exited command
            }
        }
        byte[] output = out.snapshot();
        if (echo && echoed.size() > 0) {
            output = Arrays.copyOf(output, output.length + echoed.size());
            System.arraycopy(echoed.toByteArray(), 0, output, output.length - echoed.size(), echoed.size());
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("rc", (long) proc.exitValue());
        res.put("output", output);
        return res;
    }

    private static Process start(Map<String, Object> p, boolean mergeStderr, boolean wantStdin) throws RequestFailure {
        List<String> command = new ArrayList<>();
        String shell = Payload.str(p, "shell");
        if (shell != null && Payload.bool(p, "pty", false)) {
            // -e: script exits with the command's status; -f: flush each write so prompts are seen at once.
            command.add("script");
            command.add("-qefc");
            command.add(shell);
            command.add("/dev/null");
        } else if (shell != null) {
            command.add("/bin/sh");
            command.add("-c");
            command.add(shell);
        } else {
            for (Object a : Payload.list(p, "argv")) command.add(String.valueOf(a));
        }
        if (command.isEmpty()) throw new RequestFailure(ErrorKind.BAD_REQUEST, "no command given (argv is empty)");
        ProcessBuilder pb = new ProcessBuilder(command);
        for (Map.Entry<String, Object> e : Payload.map(p, "env").entrySet()) {
            pb.environment().put(e.getKey(), String.valueOf(e.getValue()));
        }
        if (shell == null) command.set(0, onGivenPath(command.get(0), Payload.map(p, "env")));
        String chdir = Payload.str(p, "chdir");
        if (chdir != null) {
            File dir = new File(chdir);
            if (!dir.isDirectory()) {
                throw new RequestFailure(ErrorKind.NOT_FOUND, "chdir: " + chdir + ": " + (dir.exists() ? "Not a directory" : "No such file or directory"));
            }
            pb.directory(dir);
        }
        pb.redirectErrorStream(mergeStderr);
        // Without input the command reads /dev/null rather than waiting on a pipe nobody writes to.
        if (!wantStdin) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return pb.start();
        } catch (IOException e) {
            // Java says: Cannot run program "x": error=2, No such file or directory
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            String reason = msg.replaceFirst("^Cannot run program \"[^\"]*\"(: error=\\d+, )?", "");
            throw new RequestFailure(msg.contains("error=13") ? ErrorKind.DENIED : ErrorKind.NOT_FOUND, command.get(0) + ": " + reason);
        }
    }

    /**
     * Java looks a bare program name up on the agent's own PATH even when the request sets another one; execvp (the
     * agentless path, Ansible's subprocess) uses the PATH the command gets. So with a PATH in the request's env, the
     * program is looked up there first.
     */
    private static String onGivenPath(String program, Map<String, Object> env) {
        Object path = env.get("PATH");
        if (path == null || program.contains("/")) return program;
        for (String dir : String.valueOf(path).split(":")) {
            File f = new File(dir.isEmpty() ? "." : dir, program);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        return program;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && new File(dir, program).canExecute()) return true;
        }
        return false;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String soFar(byte[] out, byte[] err) {
        String both = (tail(out) + tail(err)).trim();
        return both.isEmpty() ? "" : ". Output so far: " + both;
    }

    private static String tail(byte[] b) {
        int from = Math.max(0, b.length - 500);
        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }

    /** One answer list for one prompt: answers are used in turn; a single answer is reused every time. */
    private static final class Prompt {
        final Pattern pattern;
        final List<String> answers;
        int used;

        Prompt(Pattern pattern, List<String> answers) {
            this.pattern = pattern;
            this.answers = answers;
        }

        String next() {
            if (answers.size() == 1) return answers.get(0);
            return used < answers.size() ? answers.get(used++) : null;
        }
    }

    /** Reads a stream to its end; the bytes so far can be taken at any time. */
    static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private boolean done;

        Drain(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (InputStream s = in) {
                int n;
                while ((n = s.read(chunk)) > 0) {
                    synchronized (this) {
                        buf.write(chunk, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process was killed; what was read is kept
            } finally {
                synchronized (this) {
                    done = true;
                    notifyAll();
                }
            }
        }

        synchronized byte[] snapshot() {
            return buf.toByteArray();
        }

        synchronized boolean isDone() {
            return done;
        }

        synchronized void await(long deadlineNanos) throws InterruptedException {
            while (!done) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void awaitChange(int size, long nanos) throws InterruptedException {
            if (done || buf.size() != size) return;
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        }
    }
}
