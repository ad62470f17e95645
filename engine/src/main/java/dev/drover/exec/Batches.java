package dev.drover.exec;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** How a play's hosts are ordered ({@code order}) and cut into batches ({@code serial}), as Ansible does. */
public final class Batches {
    private Batches() {}

    /**
     * Splits hosts into serial batches. {@code serial} is null (one batch), an int, a percentage string
     * ("30%", of all the play's hosts, at least 1), or a list of those whose last value repeats.
     */
    public static <T> List<List<T>> split(List<T> hosts, Object serial, Position where) {
        List<List<T>> batches = new ArrayList<>();
        if (hosts.isEmpty()) return batches;
        List<Object> sizes = serial instanceof List<?> l ? new ArrayList<>(l) : serial == null ? List.of() : List.of(serial);
        if (sizes.isEmpty()) {
            batches.add(List.copyOf(hosts));
            return batches;
        }
        int total = hosts.size();
        int next = 0;
        int item = 0;
        while (next < total) {
            int size = size(sizes.get(item), total, where);
            if (size <= 0) {
                batches.add(List.copyOf(hosts.subList(next, total)));
                break;
            }
            int end = Math.min(total, next + size);
            batches.add(List.copyOf(hosts.subList(next, end)));
            next = end;
            item = Math.min(item + 1, sizes.size() - 1);
        }
        return batches;
    }

    /** Ansible's pct_to_int: a percentage of all hosts, rounded down but never below 1. */
    static int size(Object value, int total, Position where) {
        String s = String.valueOf(value).trim();
        try {
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1).trim());
                int n = (int) (pct / 100.0 * total);
                return n == 0 ? 1 : n;
            }
            return (int) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw UserError.expected(where, "serial", "an integer, a percentage like '30%' or a list of those", value);
        }
    }

    /** Applies a play's {@code order}: inventory, reverse_inventory, sorted, reverse_sorted, shuffle. */
    public static List<String> order(List<String> hosts, String order, Position where, Random random) {
        List<String> out = new ArrayList<>(hosts);
        switch (order == null ? "inventory" : order) {
            case "inventory":
                break;
            case "reverse_inventory":
                Collections.reverse(out);
                break;
            case "sorted":
                out.sort(Comparator.naturalOrder());
                break;
            case "reverse_sorted":
                out.sort(Comparator.reverseOrder());
                break;
            case "shuffle":
                Collections.shuffle(out, random);
                break;
            default:
                throw UserError.expected(where, "order",
                        "one of inventory, reverse_inventory, sorted, reverse_sorted, shuffle", order);
        }
        return out;
    }

    /**
     * {@code max_fail_percentage}: the batch stops when the share of failed hosts <em>exceeds</em> the value
     * (with serial 4 and 49, two failures stop it). Unreachable hosts do not count, as in Ansible.
     */
    public static boolean exceeds(int failed, int batchSize, Object maxFailPercentage, Position where) {
        if (maxFailPercentage == null || batchSize == 0) return false;
        double pct;
        try {
            pct = Double.parseDouble(String.valueOf(maxFailPercentage).replace("%", "").trim());
        } catch (NumberFormatException e) {
            throw UserError.expected(where, "max_fail_percentage", "a number from 0 to 100", maxFailPercentage);
        }
        return (failed * 100.0 / batchSize) > pct;
    }
}
