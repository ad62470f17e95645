#!/usr/bin/env python3
"""tsrun.py [--first REGEX] [--log FILE] -- CMD...: runs CMD, timestamps its merged stdout/stderr lines.
Prints one line: 'wall=S first=S rc=N' (first = seconds from spawn to the first line matching REGEX, or -1).
With --log, writes every line prefixed with its offset in seconds."""
import re, subprocess, sys, time
args = sys.argv[1:]
first_re, log = None, None
while args and args[0] != '--':
    if args[0] == '--first': first_re = re.compile(args[1]); args = args[2:]
    elif args[0] == '--log': log = open(args[1], 'w'); args = args[2:]
    else: sys.exit('tsrun.py: unknown option ' + args[0])
cmd = args[1:]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
first = -1.0
buf = b''
while True:
    chunk = p.stdout.read1(65536) if hasattr(p.stdout, 'read1') else p.stdout.read(65536)
    if not chunk: break
    now = time.monotonic() - t0
    buf += chunk
    *lines, buf = buf.split(b'\n')
    for l in lines:
        s = l.decode('utf-8', 'replace')
        if log: log.write('%8.3f %s\n' % (now, s))
        if first < 0 and first_re and first_re.search(s): first = now
rc = p.wait()
wall = time.monotonic() - t0
if buf and log: log.write('%8.3f %s\n' % (wall, buf.decode('utf-8', 'replace')))
print('wall=%.3f first=%.3f rc=%d' % (wall, first, rc))
