package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Ansible's {@code package_facts}: installed packages from dpkg or rpm, as {@code ansible_facts.packages}. */
public final class PackageFactsModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("manager", ArgSpec.Type.LIST, false, List.of("auto"))
            .choice("strategy", "first", "all", "first").build();

    public PackageFactsModule() {
        super("package_facts", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        List<String> managers = new ArrayList<>(Args.strings(a, "manager"));
        if (managers.contains("auto")) managers = List.of("apt", "rpm");
        Map<String, List<Map<String, Object>>> packages = new TreeMap<>();
        List<String> used = new ArrayList<>();
        for (String mgr : managers) {
            if (!mgr.equals("apt") && !mgr.equals("rpm")) {
                return ModuleResult.failed("package manager '" + mgr + "' is not supported by Drover; use apt or rpm");
            }
            ExecResult r = mgr.equals("apt")
                    ? ctx.host().exec(ExecSpec.argv(List.of("dpkg-query", "-W", "-f",
                            "${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${Section}\\n")))
                    : ctx.host().exec(ExecSpec.argv(List.of("rpm", "-qa", "--queryformat",
                            "%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\n")));
            if (r.rc() == 127 || (r.rc() != 0 && r.stdout().length == 0)) continue;
            used.add(mgr);
            for (String line : r.stdoutText().split("\n")) {
                String[] f = line.split("\t", -1);
                Map<String, Object> p = new LinkedHashMap<>();
                if (mgr.equals("apt")) {
                    if (f.length < 5 || !f[0].equals("installed")) continue;
                    p.put("name", f[1]);
                    p.put("version", f[2]);
                    p.put("arch", f[3]);
                    p.put("category", f[4]);
                    p.put("origin", "");
                    p.put("source", "apt");
                } else {
                    if (f.length < 5) continue;
                    p.put("name", f[0]);
                    p.put("version", f[1]);
                    p.put("release", f[2]);
                    p.put("epoch", f[3].equals("(none)") ? null : Integer.valueOf(f[3]));
                    p.put("arch", f[4]);
                    p.put("source", "rpm");
                }
                packages.computeIfAbsent((String) p.get("name"), k -> new ArrayList<>()).add(p);
            }
            if ("first".equals(Args.str(a, "strategy"))) break;
        }
        if (used.isEmpty()) {
            return ModuleResult.failed("Could not detect a supported package manager from the following list: "
                    + managers + ", or the required Python library is not installed");
        }
        return ModuleResult.of(false, Map.of("ansible_facts", Map.of("packages", packages)));
    }
}
