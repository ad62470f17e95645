#!/usr/bin/env python3
"""Records what ansible-core renders for each template in cases.txt, as expectations for AnsibleParityTest.

Run from this directory:  python3 gen_ansible_cases.py   (needs ansible-playbook; 2.14 was used)
Each case is rendered as the debug message "@<template>" so that Ansible returns text (no literal_eval).
Writes ansible-expected.jsonl: one JSON array per line, [template, rendered text or null when Ansible failed].
"""
import json, subprocess, os, tempfile

VARS_FILE = "ansible-vars.json"
cases = [l.rstrip("\n") for l in open("cases.txt", encoding="utf-8") if l.strip() and not l.startswith("##")]
tasks = [{"debug": {"msg": "@" + c}, "ignore_errors": True} for c in cases]
play = [{"hosts": "localhost", "gather_facts": False, "vars_files": [os.path.abspath(VARS_FILE)], "tasks": tasks}]
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
    json.dump(play, f)
env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
out = subprocess.run(["ansible-playbook", f.name], capture_output=True, text=True, env=env, cwd=os.getcwd()).stdout
results = json.loads(out)["plays"][0]["tasks"]
with open("ansible-expected.jsonl", "w", encoding="utf-8") as w:
    for c, t in zip(cases, results):
        r = t["hosts"]["localhost"]
        msg = None if r.get("failed") else r["msg"]
        if msg is not None:
            assert msg.startswith("@"), (c, msg)
            msg = msg[1:]
        w.write(json.dumps([c, msg], ensure_ascii=False) + "\n")
print(len(cases), "cases")
