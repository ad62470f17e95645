package dev.drover.template.internal;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Values the engine builds that are data, never templates ({@code groups}, the play's host lists,
 * {@code update_errors}): marked so that a render does not scan them for "{{" each time a task reads them. That
 * scan costs O(hosts) for {@code groups} or {@code ansible_play_hosts} on every task of every host, the
 * growth Ansible's #73654 is about; and a failure message that happens to contain "{{" is not templated.
 */
public final class Literal {
    private Literal() {}

    /** Marker: {@link Render#isTemplated} answers false without looking inside. */
    public interface Value {}

    public static <T> List<T> list(List<T> l) {
        return l instanceof Value ? l : new LiteralList<>(Collections.unmodifiableList(l));
    }

    public static <K, V> Map<K, V> map(Map<K, V> m) {
        return m instanceof Value ? m : new LiteralMap<>(Collections.unmodifiableMap(m));
    }

    private static final class LiteralList<T> extends AbstractList<T> implements Value, RandomAccess {
        private final List<T> items;

        LiteralList(List<T> items) {
            this.items = items;
        }

        @Override
        public T get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    private static final class LiteralMap<K, V> extends AbstractMap<K, V> implements Value {
        private final Map<K, V> entries;

        LiteralMap(Map<K, V> entries) {
            this.entries = entries;
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public V get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }
}
