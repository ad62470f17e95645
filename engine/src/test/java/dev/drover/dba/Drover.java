package dev.drover.dba;

import dev.drover.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code drover} in-process through {@link Main#run(PrintWriter, PrintWriter, String...)}. */
record Drover(int exit, String out, String err) {

    static Drover run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = Main.run(o, e, args);
        }
        return new Drover(code, out.toString(), err.toString());
    }
}
