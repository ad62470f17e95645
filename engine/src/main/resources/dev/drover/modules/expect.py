# Drover's expect helper: a small pexpect replacement using only the Python standard library (pty, select, re).
# Reads a JSON request on stdin: argv, chdir, timeout, echo, responses [[regex, [answers...]], ...].
# Writes one JSON line: {"stdout": ..., "rc": int|null, "timeout": bool, "error": str|null}.
import json, os, pty, re, select, signal, sys, time

req = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    try:
        if not req["echo"]:
            import termios
            attrs = termios.tcgetattr(0)
            attrs[3] &= ~termios.ECHO
            termios.tcsetattr(0, termios.TCSANOW, attrs)
        if req["chdir"]:
            os.chdir(req["chdir"])
        os.execvp(req["argv"][0], req["argv"])
    except Exception as e:
        sys.stderr.write("%s\n" % e)
        os._exit(127)

responses = [(re.compile(p), list(a), [0]) for p, a in req["responses"]]
out = []
buf = ""
deadline = time.time() + req["timeout"] if req["timeout"] else None
result = {"stdout": "", "rc": None, "timeout": False, "error": None}


def finish():
    result["stdout"] = "".join(out)
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    sys.exit(0)


while True:
    wait = 0.2 if deadline is None else max(0.0, min(0.2, deadline - time.time()))
    try:
        ready, _, _ = select.select([fd], [], [], wait)
    except InterruptedError:
        ready = []
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        text = data.decode("utf-8", "replace")
        out.append(text)
        buf += text
        while True:
            best = None
            for i, (rx, answers, pos) in enumerate(responses):
                m = rx.search(buf)
                if m and (best is None or m.start() < best[1].start()):
                    best = (i, m)
            if best is None:
                break
            rx, answers, pos = responses[best[0]]
            if pos[0] >= len(answers):
                result["error"] = "No remaining responses for '%s', output was '%s'" % (rx.pattern, "".join(out))
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                finish()
            os.write(fd, (answers[pos[0]] + "\n").encode("utf-8"))
            pos[0] += 1
            buf = buf[best[1].end():]
    if deadline is not None and time.time() >= deadline:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        result["timeout"] = True
        finish()

_, status = os.waitpid(pid, 0)
result["rc"] = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
finish()
