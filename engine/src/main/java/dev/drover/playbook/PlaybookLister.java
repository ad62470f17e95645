package dev.drover.playbook;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The text of {@code --syntax-check}, {@code --list-tasks}, {@code --list-tags} and {@code --list-hosts},
 * byte for byte as ansible-playbook 2.14 prints it (lib/ansible/cli/playbook.py), so that people and scripts
 * used to Ansible read the same thing. Quirks kept on purpose: unnamed tasks show the action as written
 * (no role prefix), only the {@code block:} part of blocks is listed (not rescue/always), include tasks are
 * listed as themselves (their content is only known at run time).
 */
public final class PlaybookLister {
    /** What to print. {@code hosts} is null unless --list-hosts was asked for. */
    public record Request(boolean listTasks, boolean listTags, TagFilter tags,
            Function<String, List<String>> hosts, Map<String, Object> extraVars) {}

    private PlaybookLister() {}

    /** The whole output for one playbook (each line ends with a newline). */
    public static String render(String shownPath, Playbook playbook, Request req, boolean syntaxOnly) {
        StringBuilder out = new StringBuilder();
        out.append("\nplaybook: ").append(shownPath).append('\n');
        if (syntaxOnly) return out.toString();
        int n = 0;
        for (Play play : playbook.plays()) {
            n++;
            Set<String> playTags = new LinkedHashSet<>(play.tags());
            // Ansible templates the play's hosts and name with play vars and extra vars before listing
            Function<String, Object> vars = v -> req.extraVars().containsKey(v) ? req.extraVars().get(v)
                    : play.vars().get(v);
            List<String> patterns = play.hostPatterns().stream().map(p -> LoadTimeNames.renderOrKeep(p, vars)).toList();
            String hosts = String.join(",", patterns);
            String name = LoadTimeNames.renderOrKeep(play.name(), vars);
            StringBuilder msg = new StringBuilder();
            msg.append("\n  play #").append(n).append(" (").append(hosts).append("): ").append(name)
                    .append("\tTAGS: [").append(String.join(",", playTags)).append(']');
            if (req.hosts() != null) {
                List<String> selected;
                try {
                    selected = req.hosts().apply(hosts);
                } catch (UserError e) { // a bad pattern is a mistake in this play: name it
                    boolean inPattern = e.position() == null && e.exitCode() == ExitCode.BAD_INPUT;
                    throw inPattern ? new UserError(play.pos(), e.getMessage(), e) : e;
                }
                msg.append("\n    pattern: ").append(pythonList(patterns)).append("\n    hosts (")
                        .append(selected.size()).append("):");
                for (String h : selected) msg.append("\n      ").append(h);
            }
            out.append(msg).append('\n');
            if (req.listTasks() || req.listTags()) {
                StringBuilder taskMsg = new StringBuilder();
                if (req.listTasks()) taskMsg.append("    tasks:\n");
                Set<String> allTags = new TreeSet<>();
                for (List<TaskItem> section : play.sections()) {
                    listItems(section, playTags, req, allTags, taskMsg);
                }
                if (req.listTags()) {
                    Set<String> cur = new TreeSet<>(playTags);
                    cur.addAll(allTags);
                    taskMsg.append("      TASK TAGS: [").append(String.join(", ", cur)).append("]\n");
                }
                // Ansible's display() adds a newline only when the text lacks one
                out.append(taskMsg);
                if (taskMsg.length() == 0 || taskMsg.charAt(taskMsg.length() - 1) != '\n') out.append('\n');
            }
        }
        return out.toString();
    }

    /** Ansible prints the pattern as a Python list: {@code ['web', 'db']} for {@code hosts: [web, db]}. */
    private static String pythonList(List<String> patterns) {
        List<String> parts = new ArrayList<>();
        for (String p : patterns) parts.add("'" + p + "'");
        return "[" + String.join(", ", parts) + "]";
    }

    private static void listItems(List<TaskItem> items, Set<String> inherited, Request req, Set<String> allTags,
            StringBuilder out) {
        for (TaskItem item : items) {
            Set<String> tags = new LinkedHashSet<>(inherited);
            if (item instanceof Block b) {
                tags.addAll(b.tags());
                listItems(b.block(), tags, req, allTags, out);
            } else if (item instanceof Task t) {
                tags.addAll(t.tags());
                if (!req.tags().selects(tags)) continue;
                allTags.addAll(tags);
                if (req.listTasks()) {
                    out.append("      ").append(t.displayName()).append("\tTAGS: [")
                            .append(String.join(", ", new TreeSet<>(tags))).append("]\n");
                }
            }
        }
    }
}
