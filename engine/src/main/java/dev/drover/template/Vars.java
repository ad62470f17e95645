package dev.drover.template;

import java.util.Map;
import java.util.Set;

/** Variables visible to one render: raw, untemplated values, resolved by name on demand. */
public interface Vars {
    /** Returned by {@link #lookup} for a name that is not defined (null is a defined None). */
    Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    /** The raw value or {@link #MISSING}. */
    Object lookup(String name);

    /** All names, only used for "did you mean" hints when something is undefined. */
    Set<String> names();

    /** Variables backed by a map (tests, small callers). */
    static Vars of(Map<String, ?> map) {
        return new Vars() {
            @Override
            public Object lookup(String name) {
                return map.containsKey(name) ? map.get(name) : MISSING;
            }

            @Override
            public Set<String> names() {
                return map.keySet();
            }
        };
    }
}
