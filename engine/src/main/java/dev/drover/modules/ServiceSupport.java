package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Service control shared by {@code service} and {@code systemd}: systemctl when the host runs systemd, else
 * SysV {@code service} with update-rc.d/chkconfig for boot-time enablement. Every name goes as an argument.
 */
final class ServiceSupport {
    private ServiceSupport() {}

    /**
     * "systemd" when systemctl answers for a running system (is-system-running says anything but "offline", the
     * answer of a container or chroot not booted with systemd), "sysv" when the service command exists, else null.
     */
    static String manager(HostOps host) throws IOException {
        ExecResult r = host.exec(ExecSpec.shell(
                "if command -v systemctl >/dev/null 2>&1; then s=$(systemctl is-system-running 2>/dev/null); "
                        + "case \"$s\" in ''|offline|unknown) ;; *) echo systemd; exit 0;; esac; fi; "
                        + "if command -v service >/dev/null 2>&1; then echo sysv; fi"));
        String m = r.stdoutText().strip();
        return m.isEmpty() ? null : m;
    }

    static ModuleResult noManager(String name) {
        return ModuleResult.failed("cannot manage service '" + name + "': this host has neither a running systemd "
                + "(systemctl is-system-running says offline, or systemctl is missing) nor a 'service' command, as in "
                + "a container without an init system");
    }

    private static ExecResult exec(HostOps host, String... argv) throws IOException {
        return host.exec(ExecSpec.argv(List.of(argv)));
    }

    /** systemctl show, as a map of properties. */
    static Map<String, String> show(HostOps host, String unit) throws IOException {
        ExecResult r = exec(host, "systemctl", "show", "--no-pager", "--", unit);
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : r.stdoutText().split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) m.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return m;
    }

    /**
     * Brings a unit to the wanted state/enablement; returns the result or a failure with systemctl's message.
     * {@code status} (the unit's properties) is returned as the systemd module does.
     */
    static ModuleResult control(ModuleContext ctx, String mgr, String name, String state, Boolean enabled,
                                boolean daemonReload, Boolean masked, boolean noBlock) throws IOException {
        HostOps host = ctx.host();
        boolean check = ctx.checkMode();
        boolean changed = false;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (mgr.equals("systemd")) {
            if (daemonReload && !check) run(host, "daemon-reload", "systemctl", "daemon-reload");
            Map<String, String> props = show(host, name);
            if (masked != null) {
                boolean isMasked = "masked".equals(props.get("UnitFileState"));
                if (isMasked != masked) {
                    changed = true;
                    if (!check) run(host, "mask", "systemctl", masked ? "mask" : "unmask", "--", name);
                    props = show(host, name);
                }
            }
            if ("not-found".equals(props.get("LoadState")) && !changed) {
                return ModuleResult.failed("Could not find the requested service " + name + ": host");
            }
            if (enabled != null) {
                ExecResult r = exec(host, "systemctl", "is-enabled", "--", name);
                // Like Ansible: is-enabled's exit status decides (0 for enabled, static, alias, indirect...).
                boolean isEnabled = r.rc() == 0;
                if (isEnabled != enabled) {
                    changed = true;
                    if (!check) run(host, "enable", "systemctl", enabled ? "enable" : "disable", "--", name);
                }
                m.put("enabled", enabled);
            }
            if (state != null) {
                boolean active = List.of("active", "activating", "reloading").contains(props.get("ActiveState"));
                String action = action(state, active);
                if (action != null) {
                    changed = true;
                    if (!check) {
                        if (noBlock) run(host, action, "systemctl", "--no-block", action, "--", name);
                        else run(host, action, "systemctl", action, "--", name);
                    }
                }
                m.put("state", state);
            }
            if (!check) props = show(host, name);
            m.put("status", new LinkedHashMap<>(props));
        } else {
            if (enabled != null) {
                Boolean cur = sysvEnabled(host, name);
                if (cur == null) return ModuleResult.failed("cannot tell whether " + name + " starts at boot: "
                        + "the host has neither update-rc.d nor chkconfig");
                if (cur != enabled) {
                    changed = true;
                    if (!check) sysvEnable(host, name, enabled);
                }
                m.put("enabled", enabled);
            }
            if (state != null) {
                ExecResult st = exec(host, "service", name, "status");
                if (st.rc() == 4 || st.stderrText().contains("unrecognized service")
                        || st.stdoutText().contains("unrecognized service")) {
                    return ModuleResult.failed("Could not find the requested service " + name + ": host");
                }
                String action = action(state, st.rc() == 0);
                if (action != null) {
                    changed = true;
                    if (!check) run(host, action, "service", name, action);
                }
                m.put("state", state);
            }
        }
        return ModuleResult.of(changed, m);
    }

    /** The command a state needs, or null when it already holds; restarted/reloaded always act, like Ansible. */
    private static String action(String state, boolean active) {
        return switch (state) {
            case "started" -> active ? null : "start";
            case "stopped" -> active ? "stop" : null;
            case "restarted" -> "restart";
            case "reloaded" -> active ? "reload" : "start";
            default -> throw new IllegalArgumentException("unknown state " + state);
        };
    }

    private static void run(HostOps host, String what, String... argv) throws IOException {
        ExecResult r = exec(host, argv);
        if (r.rc() != 0) {
            String err = (r.stderrText() + r.stdoutText()).strip();
            throw new ServiceFailure("Unable to " + what + " service " + argv[argv.length - 1] + ": " + err);
        }
    }

    private static Boolean sysvEnabled(HostOps host, String name) throws IOException {
        ExecResult r = host.exec(ExecSpec.argv(List.of("sh", "-c",
                "if command -v update-rc.d >/dev/null 2>&1; then ls /etc/rc[2345].d/S[0-9][0-9]\"$1\" >/dev/null 2>&1 "
                        + "&& echo yes || echo no; elif command -v chkconfig >/dev/null 2>&1; then "
                        + "chkconfig --list \"$1\" 2>/dev/null | grep -q ':on' && echo yes || echo no; fi", "sh", name)));
        String s = r.stdoutText().strip();
        return s.isEmpty() ? null : s.equals("yes");
    }

    private static void sysvEnable(HostOps host, String name, boolean on) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "if command -v update-rc.d >/dev/null 2>&1; then update-rc.d \"$1\" \"$2\"; else chkconfig \"$1\" \"$3\"; fi",
                "sh", name, on ? "enable" : "disable", on ? "on" : "off"));
        ExecResult r = host.exec(ExecSpec.argv(argv));
        if (r.rc() != 0) throw new ServiceFailure("Unable to " + (on ? "enable" : "disable") + " service " + name + ": "
                + r.stderrText().strip());
    }

    /** A service command that ran and failed: turned into a failed result by the module. */
    static final class ServiceFailure extends IOException {
        ServiceFailure(String msg) {
            super(msg);
        }
    }
}
