package dev.drover.modules;

import java.io.IOException;
import java.util.Map;

/** Ansible's {@code service}: systemd when the host runs it, else SysV init scripts. */
public final class ServiceModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("name", ArgSpec.Type.STR, true, null)
            .choice("state", null, "reloaded", "restarted", "started", "stopped")
            .add("enabled", ArgSpec.Type.BOOL, false, null)
            .add("sleep", ArgSpec.Type.INT, false, null)
            .add("pattern", ArgSpec.Type.STR, false, null)
            .add("arguments", ArgSpec.Type.STR, false, "", "args")
            .add("runlevel", ArgSpec.Type.STR, false, "default")
            .add("use", ArgSpec.Type.STR, false, "auto").build();

    public ServiceModule() {
        super("service", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String name = Args.str(a, "name");
        if (a.get("state") == null && a.get("enabled") == null) {
            return ModuleResult.failed("Neither 'state' nor 'enabled' set, so there is nothing to do for " + name);
        }
        String mgr = ServiceSupport.manager(ctx.host());
        if (mgr == null) return ServiceSupport.noManager(name);
        try {
            ModuleResult r = ServiceSupport.control(ctx, mgr, name, Args.str(a, "state"), (Boolean) a.get("enabled"),
                    false, null, false);
            if (r.failed()) return r;
            // The service module returns no systemd status dictionary; only name/state/enabled.
            Map<String, Object> v = new java.util.LinkedHashMap<>(r.values());
            v.remove("status");
            return new ModuleResult(v);
        } catch (ServiceSupport.ServiceFailure e) {
            return ModuleResult.failed(e.getMessage());
        }
    }
}
