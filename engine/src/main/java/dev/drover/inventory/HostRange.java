package dev.drover.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands inventory host ranges the way Ansible does: {@code db[01:03]} (leading zeros kept, both ends
 * included), {@code [a:f]}, strides {@code [01:10:2]}, several ranges in one name.
 */
final class HostRange {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** Far more hosts than any fleet; a larger range is a typo. */
    static final long MAX_HOSTS = 1_000_000;

    private HostRange() {}

    static boolean hasRange(String name) {
        return name.indexOf('[') >= 0;
    }

    /** The names a pattern stands for; a name without '[' is returned as is. Bad ranges throw with a reason. */
    static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        expandInto(pattern, out);
        return out;
    }

    private static void expandInto(String pattern, List<String> out) {
        int open = pattern.indexOf('[');
        if (open < 0) {
            out.add(pattern);
            return;
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) throw new IllegalArgumentException("expected a closing ']' after '" + pattern.substring(open) + "'");
        String head = pattern.substring(0, open);
        String range = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("expected a range [begin:end] or [begin:end:step], found '[" + range + "]'");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) throw new IllegalArgumentException("expected an end value in range '[" + range + "]'");
        int step;
        try {
            step = bounds.length == 3 ? Integer.parseInt(bounds[2]) : 1;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number as step in range '[" + range + "]', found '" + bounds[2] + "'");
        }
        if (step <= 0) throw new IllegalArgumentException("expected a step of 1 or more in range '[" + range + "]', found " + step);
        int width = beg.length() > 1 && beg.charAt(0) == '0' ? beg.length() : 0;
        if (width > 0 && end.length() != width) {
            throw new IllegalArgumentException("expected begin and end of the same length (leading zeros) in range '["
                    + range + "]'");
        }
        List<String> seq = new ArrayList<>();
        int ib = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int ie = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (ib >= 0 && ie >= 0) {
            if (ib > ie) throw new IllegalArgumentException("expected begin <= end in range '[" + range + "]'");
            for (int i = ib; i <= ie; i += step) seq.add(String.valueOf(LETTERS.charAt(i)));
        } else {
            long b;
            long e;
            try {
                b = Long.parseLong(beg);
                e = Long.parseLong(end);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("expected numbers or single letters in range '[" + range + "]'");
            }
            // Ansible silently yields no hosts for a reversed numeric range; that is always a typo, so refuse it.
            if (b > e) throw new IllegalArgumentException("expected begin <= end in range '[" + range + "]'");
            // a typo such as db[1:10000000000] would otherwise build hosts until memory runs out
            if ((e - b) / step >= MAX_HOSTS) {
                throw new IllegalArgumentException("expected a range of at most " + MAX_HOSTS + " hosts, found '["
                        + range + "]'");
            }
            for (long i = b; i <= e; i += step) {
                String s = Long.toString(i);
                seq.add(width > 0 && s.length() < width ? "0".repeat(width - s.length()) + s : s);
            }
        }
        for (String s : seq) expandInto(head + s + tail, out);
    }
}
