package dev.drover.inventory;

import java.util.AbstractList;
import java.util.List;

/**
 * A Python tuple from an INI value such as {@code (1, 2)}: a plain immutable List to everyone else, but
 * shown with parentheses where ansible-inventory prints Python's repr ({@code --graph --vars}).
 */
public final class PyTuple extends AbstractList<Object> {
    private final List<Object> items;

    PyTuple(List<Object> items) {
        this.items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
