package dev.drover.modules;

import java.io.IOException;
import java.util.Map;

/** Ansible's {@code systemd} (systemd_service): unit state, enablement, masking, daemon-reload. */
public final class SystemdModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("name", ArgSpec.Type.STR, false, null, "service", "unit")
            .choice("state", null, "reloaded", "restarted", "started", "stopped")
            .add("enabled", ArgSpec.Type.BOOL, false, null)
            .add("masked", ArgSpec.Type.BOOL, false, null)
            .add("daemon_reload", ArgSpec.Type.BOOL, false, false, "daemon-reload")
            .add("daemon_reexec", ArgSpec.Type.BOOL, false, false, "daemon-reexec")
            .choice("scope", "system", "system", "user", "global")
            .add("no_block", ArgSpec.Type.BOOL, false, false).build();

    public SystemdModule() {
        super("systemd", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String name = Args.str(a, "name");
        if (!"system".equals(Args.str(a, "scope"))) {
            return ModuleResult.failed("scope=" + a.get("scope") + " is not supported by Drover; only the system scope");
        }
        if (name == null && !Args.bool(a, "daemon_reload")) {
            return ModuleResult.failed("name is required unless daemon_reload is set");
        }
        String mgr = ServiceSupport.manager(ctx.host());
        if (!"systemd".equals(mgr)) {
            return ModuleResult.failed("systemd is not running on this host (systemctl is-system-running says "
                    + "offline or systemctl is missing); use the service module for SysV init");
        }
        if (Args.bool(a, "daemon_reexec") && !ctx.checkMode()) {
            dev.drover.transport.ExecResult r = ctx.host().exec(dev.drover.host.ExecSpec.argv(
                    java.util.List.of("systemctl", "daemon-reexec")));
            if (r.rc() != 0) return ModuleResult.failed("systemctl daemon-reexec failed: " + r.stderrText().strip());
        }
        if (name == null) {
            if (!ctx.checkMode()) ctx.host().exec(dev.drover.host.ExecSpec.argv(java.util.List.of("systemctl", "daemon-reload")));
            return ModuleResult.of(true, Map.of());
        }
        try {
            return ServiceSupport.control(ctx, mgr, name, Args.str(a, "state"), (Boolean) a.get("enabled"),
                    Args.bool(a, "daemon_reload"), (Boolean) a.get("masked"), Args.bool(a, "no_block"));
        } catch (ServiceSupport.ServiceFailure e) {
            return ModuleResult.failed(e.getMessage());
        }
    }
}
