package dev.drover.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's free-form argument syntax ({@code command: echo hi creates=/x chdir=/tmp},
 * {@code copy: src=a dest="b c"}), following {@code ansible.parsing.splitter.split_args/parse_kv}: words are
 * split on spaces except inside quotes and Jinja {@code {{ }}}, {@code {% %}}, {@code {# #}}; a word with an
 * unescaped {@code =} is an option (its value unquoted), other words make up {@code _raw_params}.
 */
public final class KvParser {
    private KvParser() {}

    /** Thrown for unbalanced quotes or Jinja braces; the loader adds the position. */
    public static final class SplitException extends RuntimeException {
        SplitException(String message) {
            super(message);
        }
    }

    /**
     * @param checkRaw true for free-form modules (command, shell...): only their own options
     *     ({@link Keywords#FREE_FORM_OPTIONS}) are taken out of the line, other {@code k=v} words stay in
     *     {@code _raw_params}
     */
    public static Map<String, Object> parse(String text, boolean checkRaw) {
        Map<String, Object> options = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        for (String word : split(text)) {
            int eq = unescapedEquals(word);
            if (eq < 0) {
                raw.add(word.contains("\\=") && word.indexOf('=') >= 0 ? word.replace("\\=", "=") : word);
                continue;
            }
            String key = word.substring(0, eq);
            if (checkRaw && !Keywords.FREE_FORM_OPTIONS.contains(key)) {
                raw.add(word);
            } else {
                options.put(key.strip(), unquote(word.substring(eq + 1).strip()));
            }
        }
        if (!raw.isEmpty()) options.put("_raw_params", joinWords(raw));
        return options;
    }

    /** Ansible's {@code join_args}: words joined by one space, no space after a word ending in a newline. */
    static String joinWords(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0 && !words.get(i - 1).endsWith("\n")) sb.append(' ');
            sb.append(words.get(i));
        }
        return sb.toString();
    }

    /** Index of the first '=' (after position 0) not preceded by a backslash, or -1. */
    private static int unescapedEquals(String word) {
        for (int i = 1; i < word.length(); i++) {
            if (word.charAt(i) == '=' && word.charAt(i - 1) != '\\') return i;
        }
        return -1;
    }

    static String unquote(String s) {
        if (s.length() >= 2) {
            char first = s.charAt(0);
            if ((first == '"' || first == '\'') && s.charAt(s.length() - 1) == first
                    && s.charAt(s.length() - 2) != '\\') {
                return s.substring(1, s.length() - 1);
            }
        }
        return s;
    }

    /**
     * Splits into words, keeping quotes and Jinja expressions whole and the original spacing inside them.
     * Newlines separate words but are kept at the end of the word before them (so joining restores them).
     */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        int print = 0;
        int block = 0;
        int comment = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean nested = quote != 0 || print > 0 || block > 0 || comment > 0;
            if (!nested && (c == ' ' || c == '\n' || c == '\t')) {
                if (cur != null) {
                    if (c == '\n') cur.append('\n');
                    words.add(cur.toString());
                    cur = null;
                }
                continue;
            }
            if (!nested && c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\n' && cur == null) {
                i++; // a lone backslash at the end of a line continues it
                continue;
            }
            if (cur == null) cur = new StringBuilder();
            cur.append(c);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (quote != 0) {
                if (c == '\\' && next != 0) {
                    cur.append(next);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c; // quotes inside Jinja protect braces too, as in Ansible
                continue;
            }
            if (c == '{' && next == '{') { print++; cur.append(next); i++; }
            else if (c == '}' && next == '}' && print > 0) { print--; cur.append(next); i++; }
            else if (c == '{' && next == '%') { block++; cur.append(next); i++; }
            else if (c == '%' && next == '}' && block > 0) { block--; cur.append(next); i++; }
            else if (c == '{' && next == '#') { comment++; cur.append(next); i++; }
            else if (c == '#' && next == '}' && comment > 0) { comment--; cur.append(next); i++; }
        }
        if (quote != 0 || print > 0 || block > 0 || comment > 0) {
            throw new SplitException("unbalanced quotes or Jinja braces in '" + text
                    + "'; quote the whole value or close the " + (quote != 0 ? quote + " quote" : "braces"));
        }
        if (cur != null) words.add(cur.toString());
        // a trailing newline on the last word is not part of the arguments
        if (!words.isEmpty()) {
            String last = words.get(words.size() - 1);
            if (last.endsWith("\n")) words.set(words.size() - 1, last.substring(0, last.length() - 1));
        }
        return words;
    }
}
