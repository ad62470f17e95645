package dev.drover.template.internal;

/** A template failed while being evaluated; Templar turns it into a positioned TemplateError. */
public class EvalException extends RuntimeException {
    private final int line;

    public EvalException(String message) {
        this(message, 0);
    }

    public EvalException(String message, int line) {
        super(message, null, false, false);
        this.line = line;
    }

    /** 1-based line inside the template text, 0 when unknown. */
    public int line() {
        return line;
    }
}
