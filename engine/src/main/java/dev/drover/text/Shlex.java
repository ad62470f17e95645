package dev.drover.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split} in POSIX mode (what Ansible's command module applies to free-form text and
 * ansible-vault to {@code $EDITOR}), with each token's span in the source so known {@code key=value} options can be
 * cut out of a shell line unchanged. An unterminated quote or a trailing backslash is an
 * {@link IllegalArgumentException}, as Python's is a ValueError.
 */
public final class Shlex {
    private Shlex() {}

    public record Token(String value, int start, int end) {}

    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (Token t : tokens(s)) out.add(t.value());
        return out;
    }

    public static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            StringBuilder b = new StringBuilder();
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                char c = s.charAt(i);
                if (c == '\'') {
                    int close = s.indexOf('\'', i + 1);
                    if (close < 0) throw new IllegalArgumentException("no closing quotation in: " + s);
                    b.append(s, i + 1, close);
                    i = close + 1;
                } else if (c == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char d = s.charAt(i);
                        if (d == '"') {
                            closed = true;
                            i++;
                            break;
                        }
                        // Inside double quotes shlex only treats \" and \\ as escapes.
                        if (d == '\\' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                            b.append(s.charAt(i + 1));
                            i += 2;
                        } else {
                            b.append(d);
                            i++;
                        }
                    }
                    if (!closed) throw new IllegalArgumentException("no closing quotation in: " + s);
                } else if (c == '\\') {
                    if (i + 1 >= n) throw new IllegalArgumentException("no escaped character in: " + s);
                    b.append(s.charAt(i + 1));
                    i += 2;
                } else {
                    b.append(c);
                    i++;
                }
            }
            out.add(new Token(b.toString(), start, i));
        }
        return out;
    }
}
