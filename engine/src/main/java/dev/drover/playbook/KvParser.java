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
        for (String original : split(text)) {
            String word = decodeEscapes(original);
            if (word.indexOf('=') < 0) {
                raw.add(original);
                continue;
            }
            int eq = unescapedEquals(word);
            if (eq < 0) {
                raw.add(word.replace("\\=", "="));
                continue;
            }
            String key = word.substring(0, eq);
            if (checkRaw && !Keywords.FREE_FORM_OPTIONS.contains(key)) {
                raw.add(original);
            } else {
                options.put(key.strip(), unquote(word.substring(eq + 1).strip()));
            }
        }
        if (!raw.isEmpty()) options.put("_raw_params", joinWords(raw));
        return options;
    }

    /** Ansible's {@code join_args}: words joined by one space, none after a newline or at the start. */
    static String joinWords(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') sb.append(' ');
            sb.append(w);
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
     * Splits into words as Ansible's {@code split_args} does, so that {@code _raw_params} keeps the original
     * spacing and newlines: lines are split on single spaces (runs of spaces stay attached to the previous
     * word), and words are glued back together while inside quotes or Jinja {@code {{ }}}, {@code {% %}},
     * {@code {# #}} (counted per word, not matched). A lone backslash continues the line.
     */
    public static List<String> split(String text) {
        List<String> params = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        char quote = 0;
        int print = 0;
        int block = 0;
        int comment = 0;
        for (int li = 0; li < lines.length; li++) {
            String[] tokens = lines[li].split(" ", -1);
            boolean continuation = false;
            for (int idx = 0; idx < tokens.length; idx++) {
                String token = tokens[idx];
                if (token.isEmpty() && idx != 0) {
                    appendToLast(params, " ");
                    continue;
                }
                boolean insideQuotes = quote != 0;
                if (token.equals("\\") && !insideQuotes) {
                    continuation = true;
                    continue;
                }
                boolean wasInsideQuotes = insideQuotes;
                quote = quoteState(token, quote);
                insideQuotes = quote != 0;
                boolean appended = false;
                boolean inJinja = print > 0 || block > 0 || comment > 0;
                if (insideQuotes && !wasInsideQuotes && !inJinja) {
                    params.add(token);
                    appended = true;
                } else if (inJinja || insideQuotes || wasInsideQuotes) {
                    if (idx == 0 && wasInsideQuotes) {
                        appendToLast(params, token);
                    } else if (tokens.length > 1) {
                        appendToLast(params, (idx > 0 ? " " : "") + token);
                    } else {
                        appendToLast(params, "\n" + token);
                    }
                    appended = true;
                }
                int before = print;
                print = depth(token, print, "{{", "}}");
                if (print != before && !appended) {
                    params.add(token);
                    appended = true;
                }
                before = block;
                block = depth(token, block, "{%", "%}");
                if (block != before && !appended) {
                    params.add(token);
                    appended = true;
                }
                before = comment;
                comment = depth(token, comment, "{#", "#}");
                if (comment != before && !appended) {
                    params.add(token);
                    appended = true;
                }
                if (print == 0 && block == 0 && comment == 0 && !insideQuotes && !appended && !token.isEmpty()) {
                    params.add(token);
                }
            }
            if (lines.length > 1 && li != lines.length - 1 && !continuation) appendToLast(params, "\n");
        }
        if (quote != 0 || print > 0 || block > 0 || comment > 0) {
            throw new SplitException("unbalanced quotes or Jinja braces in '" + text
                    + "'; quote the whole value or close the " + (quote != 0 ? quote + " quote" : "braces"));
        }
        return params;
    }

    private static void appendToLast(List<String> params, String text) {
        if (params.isEmpty()) {
            // Ansible fails here with an IndexError ("Unable to parse argument string")
            throw new SplitException("cannot parse the argument string: it starts with a space or a line break");
        }
        params.set(params.size() - 1, params.get(params.size() - 1) + text);
    }

    /** The quote we are inside after {@code token} (0 for none); a quote after a backslash does not count. */
    private static char quoteState(String token, char quote) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            char prev = i > 0 ? token.charAt(i - 1) : 0;
            if ((c == '"' || c == '\'') && prev != '\\') {
                if (quote != 0) {
                    if (c == quote) quote = 0;
                } else {
                    quote = c;
                }
            }
        }
        return quote;
    }

    private static int depth(String token, int current, String open, String close) {
        int opens = count(token, open);
        int closes = count(token, close);
        if (opens != closes) current = Math.max(0, current + opens - closes);
        return current;
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    /**
     * Python's unicode-escape decoding of the sequences Ansible decodes in {@code k=v} words:
     * backslash followed by one of {@code \ ' \" a b f n r t v}, or {@code x}, {@code u}, {@code U} with 2, 4 or 8 hex digits.
     */
    static String decodeEscapes(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            int hex = n == 'x' ? 2 : n == 'u' ? 4 : n == 'U' ? 8 : 0;
            if (hex > 0) {
                if (i + 2 + hex <= s.length() && s.substring(i + 2, i + 2 + hex).matches("[0-9a-fA-F]+")) {
                    sb.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 2 + hex), 16));
                    i += 1 + hex;
                } else {
                    sb.append(c);
                }
                continue;
            }
            String simple = switch (n) {
                case '\\' -> "\\";
                case '\'' -> "'";
                case '"' -> "\"";
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000b";
                default -> null;
            };
            if (simple == null) {
                sb.append(c);
            } else {
                sb.append(simple);
                i++;
            }
        }
        return sb.toString();
    }
}
