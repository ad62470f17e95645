package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.util.List;

/** getent lookups and running useradd/groupadd-style commands (argv only) for the user and group modules. */
final class AccountSupport {
    private AccountSupport() {}

    /** The getent fields for a key in a database ("passwd", "group"), or null when it is absent. */
    static String[] getent(HostOps host, String db, String key) throws IOException {
        ExecResult r = host.exec(ExecSpec.argv(List.of("getent", db, key)));
        if (r.rc() == 2) return null;
        if (r.rc() != 0) throw new IOException("getent " + db + " " + key + " failed: " + r.stderrText().strip());
        String line = r.stdoutText().split("\n")[0];
        return line.split(":", -1);
    }

    /** Runs an account command; returns null on success or the failure to report (with rc, stdout, stderr). */
    static ModuleResult run(HostOps host, List<String> argv) throws IOException {
        ExecResult r = host.exec(ExecSpec.argv(argv));
        if (r.rc() == 0) return null;
        if (r.rc() == 127) {
            return ModuleResult.failed("cannot run " + argv.get(0) + ": it is not installed on this host "
                    + "(Drover manages accounts with the shadow-utils commands useradd/usermod/groupadd)");
        }
        return ModuleResult.failed(r.stderrText().strip().isEmpty() ? argv.get(0) + " failed with rc " + r.rc()
                : r.stderrText().strip(), java.util.Map.of("rc", r.rc(), "cmd", String.join(" ", argv)));
    }
}
