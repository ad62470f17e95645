package dev.drover.template.internal;

import java.util.function.Supplier;

/**
 * Ansible's undefined value: it may be tested ({@code is defined}), defaulted ({@code | default}) and have
 * attributes taken (which stay undefined), but any other use fails with the original reason. The reason is
 * built only when needed: "did you mean" hints scan every variable name, which a render must not do for each
 * {@code x | default(...)}.
 */
public final class Undefined {
    private final Supplier<String> message;
    private final boolean soft;

    public Undefined(Supplier<String> message) {
        this(message, false);
    }

    /** soft: Jinja2's plain Undefined (from "a if b" without else), which renders as '' instead of failing. */
    public Undefined(Supplier<String> message, boolean soft) {
        this.message = message;
        this.soft = soft;
    }

    public boolean soft() {
        return soft;
    }

    public String message() {
        return message.get();
    }

    public EvalException error() {
        return new EvalException(message());
    }

    @Override
    public String toString() {
        throw error();
    }
}
