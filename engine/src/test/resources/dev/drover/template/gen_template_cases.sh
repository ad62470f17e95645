#!/bin/sh
# Records what ansible-core's template module writes for each files/*.j2, as expectations for TemplateFileTest.
# Run from this directory: sh gen_template_cases.sh   (ansible-core 2.14 was used)
set -e
cd "$(dirname "$0")"
out=$(mktemp -d)
cat > "$out/play.yml" <<YML
- hosts: localhost
  gather_facts: false
  vars:
    lst: [1, 2]
    d: {a: 1}
    t: true
    n: 5
    with_nl: "line\n"
  tasks:
    - template: {src: "$PWD/files/{{ item }}", dest: "$out/{{ item }}.out"}
      loop: [t1.j2, t2.j2, t3.j2, t4.j2, t5.j2, t6.j2, t7.j2]
    - template: {src: "$PWD/files/t6.j2", dest: "$out/t6.lstrip.out", lstrip_blocks: true, trim_blocks: false}
YML
ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ansible-playbook "$out/play.yml" >/dev/null
for f in t1 t2 t3 t4 t5 t6 t7; do cp "$out/$f.j2.out" "files/$f.expected"; done
cp "$out/t6.lstrip.out" files/t6.lstrip.expected
rm -rf "$out"
