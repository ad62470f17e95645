package dev.drover.exec;

import dev.drover.template.Vars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variables as Ansible's precedence stacks them: a list of layers, highest first; a name resolves in the first
 * layer that has it. Building one costs a list of references, never a copy of the variables, so work per task
 * does not grow with the inventory (Ansible's #73654).
 */
public final class LayeredVars implements Vars {
    private final List<Vars> highestFirst;

    private LayeredVars(List<Vars> highestFirst) {
        this.highestFirst = highestFirst;
    }

    @Override
    public Object lookup(String name) {
        for (Vars v : highestFirst) {
            Object o = v.lookup(name);
            if (o != MISSING) return o;
        }
        return MISSING;
    }

    @Override
    public Set<String> names() {
        Set<String> all = new LinkedHashSet<>();
        for (Vars v : highestFirst) all.addAll(v.names());
        return all;
    }

    /** A new scope with {@code top} above everything here (loop variables, registered results). */
    public LayeredVars with(Map<String, ?> top) {
        List<Vars> l = new ArrayList<>(highestFirst.size() + 1);
        l.add(Vars.of(top));
        l.addAll(highestFirst);
        return new LayeredVars(l);
    }

    /** Collects layers lowest precedence first, as Ansible documents them. */
    public static final class Builder {
        private final List<Vars> lowestFirst = new ArrayList<>();

        public Builder add(Map<String, ?> layer) {
            if (layer != null && !layer.isEmpty()) lowestFirst.add(Vars.of(layer));
            return this;
        }

        public Builder add(Vars layer) {
            lowestFirst.add(layer);
            return this;
        }

        public Builder addAll(List<? extends Map<String, ?>> layers) {
            for (Map<String, ?> l : layers) add(l);
            return this;
        }

        /** The layers collected so far. */
        public int size() {
            return lowestFirst.size();
        }

        public LayeredVars build() {
            List<Vars> l = new ArrayList<>(lowestFirst);
            Collections.reverse(l);
            return new LayeredVars(l);
        }
    }
}
