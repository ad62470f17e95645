package dev.drover.playbook;

import java.util.List;
import java.util.Set;

/**
 * Ansible's tag selection ({@code -t}/{@code --skip-tags}), as in its {@code Taggable.evaluate_tags}:
 * {@code always} runs unless skipped explicitly, {@code never} runs only when asked for by name,
 * {@code tagged}/{@code untagged}/{@code all} are the special selectors. With no {@code -t}, the selection is
 * {@code all}.
 */
public record TagFilter(Set<String> only, Set<String> skip) {
    private static final Set<String> UNTAGGED = Set.of("untagged");

    public TagFilter {
        only = only.isEmpty() ? Set.of("all") : Set.copyOf(only);
        skip = Set.copyOf(skip);
    }

    public static TagFilter all() {
        return new TagFilter(Set.of(), Set.of());
    }

    /** Whether a task whose effective tags (own and inherited) are {@code taskTags} is selected. */
    public boolean selects(Set<String> taskTags) {
        Set<String> tags = taskTags.isEmpty() ? UNTAGGED : taskTags;
        boolean run;
        if (tags.contains("always")) {
            run = true;
        } else if (only.contains("all") && !tags.contains("never")) {
            run = true;
        } else if (!disjoint(tags, only)) {
            run = true;
        } else {
            run = only.contains("tagged") && !tags.equals(UNTAGGED) && !tags.contains("never");
        }
        if (run && !skip.isEmpty()) {
            if (skip.contains("all")) {
                if (!tags.contains("always") || skip.contains("always")) run = false;
            } else if (!disjoint(tags, skip)) {
                run = false;
            } else if (skip.contains("tagged") && !tags.equals(UNTAGGED)) {
                run = false;
            }
        }
        return run;
    }

    /** Splits command-line values: each may hold several tags separated by commas. */
    public static Set<String> parse(List<String> values) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) out.add(t.strip());
            }
        }
        return out;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        for (String s : a) {
            if (b.contains(s)) return false;
        }
        return true;
    }
}
