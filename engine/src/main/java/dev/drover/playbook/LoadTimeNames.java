package dev.drover.playbook;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File and role names of static imports may use variables known when the playbook is read (Ansible templates
 * them with extra vars, role params, role vars and play vars): {@code import_tasks: "{{ operation_type }}.yml"}.
 * Only plain variable references are resolved here; anything else (filters, expressions) needs the run-time
 * templating of {@code include_tasks}/{@code include_role}, and the message says so.
 */
final class LoadTimeNames {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private LoadTimeNames() {}

    /**
     * For listings: {@code text} rendered like {@link #render}, or unchanged when it needs more than plain
     * variables (the listing then shows the template as written).
     */
    static String renderOrKeep(String text, Function<String, Object> lookup) {
        try {
            return render(text, lookup, null, "", new ArrayDeque<>());
        } catch (UserError e) {
            return text;
        }
    }

    /** {@code text} with each {@code {{ var }}} replaced by the variable's value, or an error at {@code pos}. */
    static String render(String text, Function<String, Object> lookup, Position pos, String what) {
        return render(text, lookup, pos, what, new ArrayDeque<>());
    }

    /** {@code resolving}: the variables being expanded, so that {@code a: "{{ a }}"} is refused, not a stack overflow. */
    private static String render(String text, Function<String, Object> lookup, Position pos, String what,
            Deque<String> resolving) {
        if (!text.contains("{{") && !text.contains("{%")) return text;
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object value = lookup.apply(m.group(1));
            if (value == null) {
                throw new UserError(pos, what + " '" + text + "': variable '" + m.group(1) + "' is not defined when the"
                        + " playbook is read (only extra vars, role params, role vars and play vars are); use the"
                        + " include_ form to decide at run time");
            }
            if (value instanceof String s && (s.contains("{{") || s.contains("{%"))) {
                String name = m.group(1);
                if (resolving.contains(name)) {
                    List<String> chain = new ArrayList<>(resolving);
                    Collections.reverse(chain);
                    chain.add(name);
                    throw new UserError(pos, what + " '" + text + "': variable '" + name + "' is defined in terms of"
                            + " itself (" + String.join(" -> ", chain) + ")");
                }
                resolving.push(name);
                value = render(s, lookup, pos, what, resolving);
                resolving.pop();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(sb);
        String out = sb.toString();
        if (out.contains("{{") || out.contains("{%")) {
            throw new UserError(pos, what + " '" + text + "': only plain variables ({{ name }}) can be resolved when the"
                    + " playbook is read; use the include_ form for expressions");
        }
        return out;
    }
}
