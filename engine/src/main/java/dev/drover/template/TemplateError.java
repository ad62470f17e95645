package dev.drover.template;

import dev.drover.error.Position;
import dev.drover.error.UserError;

/** A template or expression could not be rendered: undefined variable, unknown filter, syntax error, ... */
public class TemplateError extends UserError {
    public TemplateError(Position position, String message) {
        super(position, message);
    }
}
