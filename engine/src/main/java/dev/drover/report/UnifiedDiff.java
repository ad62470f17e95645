package dev.drover.report;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts (3 lines of context), as {@code ansible-playbook --diff} shows file changes. */
final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /** Above this many line pairs the LCS table would be too large for a console; say so instead. */
    private static final long MAX_CELLS = 25_000_000L;

    private UnifiedDiff() {}

    static String of(String before, String after, String beforeHeader, String afterHeader) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        StringBuilder out = new StringBuilder();
        out.append("--- before").append(beforeHeader == null ? "" : ": " + beforeHeader).append('\n');
        out.append("+++ after").append(afterHeader == null ? "" : ": " + afterHeader).append('\n');
        if ((long) a.size() * b.size() > MAX_CELLS) {
            return out.append("(diff too large to show: ").append(a.size()).append(" and ").append(b.size())
                    .append(" lines)\n").toString();
        }
        List<int[]> ops = script(a, b); // each: {kind, aIndex, bIndex}; kind 0 same, 1 delete, 2 insert
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i)[0] == 0) {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size() && (ops.get(end)[0] != 0 || end - lastChange <= 2 * CONTEXT)) {
                if (ops.get(end)[0] != 0) lastChange = end;
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            hunk(out, ops.subList(start, end), a, b);
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<int[]> ops, List<String> a, List<String> b) {
        int aStart = -1;
        int bStart = -1;
        int aLen = 0;
        int bLen = 0;
        for (int[] op : ops) {
            if (op[0] != 2) {
                if (aStart < 0) aStart = op[1];
                aLen++;
            }
            if (op[0] != 1) {
                if (bStart < 0) bStart = op[2];
                bLen++;
            }
        }
        out.append("@@ -").append(range(aStart, aLen, ops.get(0)[1])).append(" +").append(range(bStart, bLen, ops.get(0)[2]))
                .append(" @@\n");
        for (int[] op : ops) {
            switch (op[0]) {
                case 0 -> out.append(' ').append(a.get(op[1])).append('\n');
                case 1 -> out.append('-').append(a.get(op[1])).append('\n');
                default -> out.append('+').append(b.get(op[2])).append('\n');
            }
        }
    }

    private static String range(int start, int len, int fallback) {
        int s = start < 0 ? fallback : start;
        if (len == 0) return s + ",0";
        return len == 1 ? String.valueOf(s + 1) : (s + 1) + "," + len;
    }

    private static List<int[]> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<int[]> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new int[] {0, i++, j++});
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                ops.add(new int[] {2, i, j++});
            } else {
                ops.add(new int[] {1, i++, j});
            }
        }
        return ops;
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        return List.of(s.split("\n", -1)).subList(0, s.endsWith("\n") ? s.split("\n", -1).length - 1 : s.split("\n", -1).length);
    }
}
