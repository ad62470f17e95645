package dev.drover.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code --diff} prints for a result's {@code diff}, as Ansible's default callback does ({@code _get_diff}):
 * before and after (text, or mappings shown as sorted 4-space JSON) as a unified diff with 3 lines of context,
 * headed {@code --- before: X} / {@code +++ after: Y}, followed by {@code prepared} text. The hunks come from a port
 * of Python's {@code difflib.SequenceMatcher} (with its autojunk rule), so they match Ansible's line for line.
 */
public final class DiffText {
    private static final int CONTEXT = 3;

    private DiffText() {}

    /** The text to print for a result's {@code diff} value (a mapping or a list of them); empty when nothing differs. */
    public static String render(Object diff) {
        StringBuilder out = new StringBuilder();
        if (diff instanceof Collection<?> list) {
            for (Object d : list) out.append(render(d));
        } else if (diff instanceof Map<?, ?> d) {
            if (d.containsKey("before") && d.containsKey("after")) {
                String before = text(d.get("before"));
                String after = text(d.get("after"));
                String bh = d.get("before_header") == null ? "before" : "before: " + d.get("before_header");
                String ah = d.get("after_header") == null ? "after" : "after: " + d.get("after_header");
                List<String> lines = unified(split(before), split(after), bh, ah);
                for (String l : lines) out.append(l);
                if (!lines.isEmpty()) out.append('\n');
            }
            if (d.get("prepared") != null) out.append(d.get("prepared"));
        }
        return out.toString();
    }

    private static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Map<?, ?>) return PyJson.dumps(v, true) + "\n";
        return String.valueOf(v);
    }

    /** Python's splitlines(True) for \n-separated text, marking a last line without newline as Ansible does. */
    private static List<String> split(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                lines.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) lines.add(s.substring(start) + "\n\\ No newline at end of file\n");
        return lines;
    }

    /** difflib.unified_diff(a, b, fromfile, tofile, n=3) with lines that keep their own newlines. */
    static List<String> unified(List<String> a, List<String> b, String fromFile, String toFile) {
        List<String> out = new ArrayList<>();
        for (List<int[]> group : groupedOpcodes(opcodes(a, b), CONTEXT)) {
            if (out.isEmpty()) {
                out.add("--- " + fromFile + "\n");
                out.add("+++ " + toFile + "\n");
            }
            int[] first = group.get(0);
            int[] last = group.get(group.size() - 1);
            out.add("@@ -" + range(first[1], last[2]) + " +" + range(first[3], last[4]) + " @@\n");
            for (int[] op : group) {
                if (op[0] == EQUAL) {
                    for (int i = op[1]; i < op[2]; i++) out.add(" " + a.get(i));
                    continue;
                }
                if (op[0] == REPLACE || op[0] == DELETE) for (int i = op[1]; i < op[2]; i++) out.add("-" + a.get(i));
                if (op[0] == REPLACE || op[0] == INSERT) for (int j = op[3]; j < op[4]; j++) out.add("+" + b.get(j));
            }
        }
        return out;
    }

    private static String range(int start, int stop) {
        int beginning = start + 1;
        int length = stop - start;
        if (length == 1) return Integer.toString(beginning);
        if (length == 0) beginning -= 1;
        return beginning + "," + length;
    }

    static final int EQUAL = 0;
    static final int REPLACE = 1;
    static final int DELETE = 2;
    static final int INSERT = 3;

    private static List<List<int[]>> groupedOpcodes(List<int[]> codes, int n) {
        if (codes.isEmpty()) codes.add(new int[] {EQUAL, 0, 1, 0, 1});
        int[] c0 = codes.get(0);
        if (c0[0] == EQUAL) codes.set(0, new int[] {EQUAL, Math.max(c0[1], c0[2] - n), c0[2], Math.max(c0[3], c0[4] - n), c0[4]});
        int[] cl = codes.get(codes.size() - 1);
        if (cl[0] == EQUAL) {
            codes.set(codes.size() - 1, new int[] {EQUAL, cl[1], Math.min(cl[2], cl[1] + n), cl[3], Math.min(cl[4], cl[3] + n)});
        }
        List<List<int[]>> groups = new ArrayList<>();
        List<int[]> group = new ArrayList<>();
        for (int[] c : codes) {
            int i1 = c[1];
            int j1 = c[3];
            if (c[0] == EQUAL && c[2] - c[1] > 2 * n) {
                group.add(new int[] {EQUAL, c[1], Math.min(c[2], c[1] + n), c[3], Math.min(c[4], c[3] + n)});
                groups.add(group);
                group = new ArrayList<>();
                i1 = Math.max(c[1], c[2] - n);
                j1 = Math.max(c[3], c[4] - n);
            }
            group.add(new int[] {c[0], i1, c[2], j1, c[4]});
        }
        if (!group.isEmpty() && !(group.size() == 1 && group.get(0)[0] == EQUAL)) groups.add(group);
        return groups;
    }

    private static List<int[]> opcodes(List<String> a, List<String> b) {
        List<int[]> answer = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (int[] m : matchingBlocks(a, b)) {
            int tag = i < m[0] && j < m[1] ? REPLACE : i < m[0] ? DELETE : j < m[1] ? INSERT : -1;
            if (tag >= 0) answer.add(new int[] {tag, i, m[0], j, m[1]});
            i = m[0] + m[2];
            j = m[1] + m[2];
            if (m[2] > 0) answer.add(new int[] {EQUAL, m[0], i, m[1], j});
        }
        return answer;
    }

    private static List<int[]> matchingBlocks(List<String> a, List<String> b) {
        // b2j without "popular" lines (autojunk: more than 1% of b's lines when b has 200 or more).
        Map<String, List<Integer>> b2j = new HashMap<>();
        for (int j = 0; j < b.size(); j++) b2j.computeIfAbsent(b.get(j), k -> new ArrayList<>()).add(j);
        if (b.size() >= 200) {
            int ntest = b.size() / 100 + 1;
            Set<String> popular = new HashSet<>();
            b2j.forEach((k, v) -> {
                if (v.size() > ntest) popular.add(k);
            });
            popular.forEach(b2j::remove);
        }
        List<int[]> blocks = new ArrayList<>();
        List<int[]> queue = new ArrayList<>();
        queue.add(new int[] {0, a.size(), 0, b.size()});
        while (!queue.isEmpty()) {
            int[] q = queue.remove(queue.size() - 1);
            int[] x = longestMatch(a, b, b2j, q[0], q[1], q[2], q[3]);
            int i = x[0];
            int j = x[1];
            int k = x[2];
            if (k > 0) {
                blocks.add(x);
                if (q[0] < i && q[2] < j) queue.add(new int[] {q[0], i, q[2], j});
                if (i + k < q[1] && j + k < q[3]) queue.add(new int[] {i + k, q[1], j + k, q[3]});
            }
        }
        blocks.sort((p, r) -> p[0] != r[0] ? Integer.compare(p[0], r[0]) : p[1] != r[1] ? Integer.compare(p[1], r[1])
                : Integer.compare(p[2], r[2]));
        List<int[]> merged = new ArrayList<>();
        int i1 = 0;
        int j1 = 0;
        int k1 = 0;
        for (int[] m : blocks) {
            if (i1 + k1 == m[0] && j1 + k1 == m[1]) {
                k1 += m[2];
            } else {
                if (k1 > 0) merged.add(new int[] {i1, j1, k1});
                i1 = m[0];
                j1 = m[1];
                k1 = m[2];
            }
        }
        if (k1 > 0) merged.add(new int[] {i1, j1, k1});
        merged.add(new int[] {a.size(), b.size(), 0});
        return merged;
    }

    private static int[] longestMatch(List<String> a, List<String> b, Map<String, List<Integer>> b2j,
                                      int alo, int ahi, int blo, int bhi) {
        int besti = alo;
        int bestj = blo;
        int bestsize = 0;
        Map<Integer, Integer> j2len = new HashMap<>();
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> newj2len = new HashMap<>();
            for (int j : b2j.getOrDefault(a.get(i), List.of())) {
                if (j < blo) continue;
                if (j >= bhi) break;
                int k = j2len.getOrDefault(j - 1, 0) + 1;
                newj2len.put(j, k);
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            j2len = newj2len;
        }
        // Popular lines were left out of b2j; a match still grows over them on either side, as in difflib.
        while (besti > alo && bestj > blo && a.get(besti - 1).equals(b.get(bestj - 1))) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi && a.get(besti + bestsize).equals(b.get(bestj + bestsize))) {
            bestsize++;
        }
        return new int[] {besti, bestj, bestsize};
    }
}
