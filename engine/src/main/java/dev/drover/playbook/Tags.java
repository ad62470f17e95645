package dev.drover.playbook;

import java.util.ArrayList;
import java.util.List;

/** Ansible's reading of a {@code tags} value: a list, or a comma-separated string ({@code "a, b"}). */
public final class Tags {
    private Tags() {}

    public static List<String> of(Object raw) {
        if (raw == null) return List.of();
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof List<?> nested) {
                    for (Object n : nested) out.add(String.valueOf(n));
                } else {
                    out.add(String.valueOf(o));
                }
            }
        } else {
            for (String s : String.valueOf(raw).split(",", -1)) out.add(s.strip());
        }
        return List.copyOf(out);
    }
}
