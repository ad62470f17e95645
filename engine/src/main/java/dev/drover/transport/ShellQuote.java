package dev.drover.transport;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting: a value passed through here reaches the command as data, never as shell syntax. */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    public static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) b.append(' ');
            b.append(quote(a));
        }
        return b.toString();
    }
}
