#!/usr/bin/env python3
"""report.py RESULTS_DIR: the Markdown report of one bench/bench.sh run (runs.csv, startup.csv, logs/)."""
import csv, os, re, statistics as st, sys

out = sys.argv[1]
machine = dict(l.rstrip('\n').split('=', 1) for l in open(os.path.join(out, 'machine.txt')) if '=' in l)
hosts = int(re.search(r'hosts=(\d+)', open(os.path.join(out, 'machine.txt')).read()).group(1))
rows = list(csv.DictReader(open(os.path.join(out, 'runs.csv'))))
TOOL_ORDER = ['ansible', 'mitogen', 'agent', 'agent-wait', 'agentless']
PB_ORDER = ['baseline', 'trivial', 'files', 'serial1', 'dba_like']
tools = [t for t in TOOL_ORDER if any(r['tool'] == t for r in rows)]
pbs = [p for p in PB_ORDER if any(r['playbook'] == p for r in rows)]
LABEL = {'ansible': 'ansible-playbook', 'mitogen': 'ansible + mitogen', 'agent': 'drover (default)',
         'agent-wait': 'drover agent (wait)',
         'agentless': 'drover agentless'}

def walls(tool, pb):
    return [float(r['wall']) for r in rows if r['tool'] == tool and r['playbook'] == pb]

def failed(tool, pb):
    return sum(1 for r in rows if r['tool'] == tool and r['playbook'] == pb and r['rc'] != '0')

def med(xs):
    return st.median(xs) if xs else float('nan')

loads = [float(r['load1']) for r in rows]
print(f"### Results {machine.get('date_utc', '')}\n")
print(f"{hosts} lab hosts, {len(set(r['run'] for r in rows))} runs per cell, {machine.get('cpus')} CPUs "
      f"({machine.get('model')}), load average (1 min) during the runs: median {med(loads):.1f}, "
      f"min {min(loads):.1f}, max {max(loads):.1f}.\n")
print("Wall time in seconds, median (min-max) over the runs; ratio = tool median / ansible-playbook median "
      "(< 1 is faster than Ansible).\n")
print('| playbook | ' + ' | '.join(LABEL[t] for t in tools) + ' |')
print('|---|' + '---|' * len(tools))
for pb in pbs:
    base = med(walls('ansible', pb))
    cells = []
    for t in tools:
        w = walls(t, pb)
        if not w:
            cells.append('-'); continue
        c = f"{med(w):.2f} ({min(w):.2f}-{max(w):.2f})"
        if t != 'ansible' and base == base:
            c += f" **x{med(w) / base:.2f}**"
        if failed(t, pb):
            c += f" [{failed(t, pb)} failed]"
        cells.append(c)
    print(f'| {pb} | ' + ' | '.join(cells) + ' |')

# Per-task-per-host time of `command: /bin/true`.
def inrun(tool):
    """From the logs of trivial.yml: (time of PLAY RECAP - time TASK [true 2] starts) / (19 tasks x hosts)."""
    vals = []
    for f in sorted(os.listdir(os.path.join(out, 'logs'))):
        if not f.startswith(f'{tool}.trivial.') or f.endswith('.0.log'):
            continue
        t2 = tr = None
        for line in open(os.path.join(out, 'logs', f), errors='replace'):
            m = re.match(r'\s*([0-9.]+) (.*)', line)
            if not m:
                continue
            ts, text = float(m.group(1)), m.group(2)
            if t2 is None and text.startswith('TASK [true 2]'):
                t2 = ts
            if text.startswith('PLAY RECAP'):
                tr = ts
        if t2 is not None and tr is not None:
            vals.append((tr - t2) / (19 * hosts))
    return vals

if 'trivial' in pbs:
    print("\nPer-task-per-host time of `command: /bin/true`, milliseconds (all hosts run in parallel, `-f hosts`; "
          "so this is the fleet's throughput cost: one task over all hosts takes about hosts x this of wall time):\n")
    print('| tool | in-run: (end - start of task 2) / (19 x hosts), median | '
          'differential: (trivial - baseline) / (19 x hosts), medians | ratio vs ansible (in-run) |')
    print('|---|---|---|---|')
    ans_in = med(inrun('ansible'))
    for t in tools:
        iv = inrun(t)
        d = (med(walls(t, 'trivial')) - med(walls(t, 'baseline'))) / (19 * hosts) if 'baseline' in pbs else float('nan')
        ratio = f"x{med(iv) / ans_in:.3f}" if t != 'ansible' and iv else '1'
        spread = f" ({min(iv) * 1000:.1f}-{max(iv) * 1000:.1f})" if iv else ''
        print(f"| {LABEL[t]} | {med(iv) * 1000:.1f}{spread} | {d * 1000:.1f} | {ratio} |")

sp = os.path.join(out, 'startup.csv')
if os.path.exists(sp):
    srows = list(csv.DictReader(open(sp)))
    def s(what):
        return [float(r['seconds']) for r in srows if r['what'] == what and float(r['seconds']) >= 0]
    jv, dv, df, af = (med(s(w)) for w in ('jvm_version', 'drover_version', 'drover_first_result', 'ansible_first_result'))
    print("\nStart-up, 1 local task (`-c local`), seconds, median over the runs:\n")
    print('| measure | median (min-max) | share of drover first result |')
    print('|---|---|---|')
    for label, w, v in (('`java -version` (bare JVM boot + exit)', 'jvm_version', jv),
                        ('`drover --version` (JVM + jar + CLI)', 'drover_version', dv),
                        ('`drover play`: spawn to first task result', 'drover_first_result', df),
                        ('`ansible-playbook`: spawn to first task result', 'ansible_first_result', af)):
        xs = s(w)
        share = f"{v / df * 100:.0f}%" if w != 'ansible_first_result' and df == df else f"x{v / df:.2f} of drover"
        print(f"| {label} | {v:.2f} ({min(xs):.2f}-{max(xs):.2f}) | {share} |")
