/**
 * Ansible-compatible Jinja2 templating.
 *
 * <p>{@link dev.drover.template.Templar} is the entry point; {@link dev.drover.template.Vars} supplies raw
 * variables by name. The engine in {@code internal} is Drover's own Jinja2 implementation rather than
 * Jinjava: Ansible users expect Python's answers (True/None rendering, {@code \1} backreferences, str methods,
 * Python number semantics), Ansible's undefined handling (strict, yet {@code x.y | default} works), and
 * variables resolved lazily by name so that a render's cost never depends on how many variables exist.
 *
 * <p>Parity with ansible-core 2.14 is pinned by tables recorded from real ansible-playbook runs
 * (src/test/resources/dev/drover/template: gen_ansible_cases.py, gen_template_cases.sh). One deliberate
 * difference: "{{ expr }}" alone keeps its native type (Ansible 2.14 returns the text "5" for "{{ 5 }}"
 * and re-parses only lists/dicts/booleans), so a variable {@code x: "{{ n + 1 }}"} is a number here.
 */
package dev.drover.template;
