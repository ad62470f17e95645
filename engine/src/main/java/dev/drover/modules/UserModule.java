package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ansible's {@code user}: a local account with useradd/usermod/userdel. */
public final class UserModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
                .add("name", ArgSpec.Type.STR, true, null, "user")
                .choice("state", "present", "absent", "present")
                .add("uid", ArgSpec.Type.INT, false, null)
                .add("group", ArgSpec.Type.STR, false, null)
                .add("groups", ArgSpec.Type.LIST, false, null)
                .add("append", ArgSpec.Type.BOOL, false, false)
                .add("shell", ArgSpec.Type.STR, false, null)
                .add("home", ArgSpec.Type.PATH, false, null)
                .add("create_home", ArgSpec.Type.BOOL, false, true, "createhome")
                .add("move_home", ArgSpec.Type.BOOL, false, false)
                .add("system", ArgSpec.Type.BOOL, false, false)
                .add("comment", ArgSpec.Type.STR, false, null)
                .add("remove", ArgSpec.Type.BOOL, false, false)
                .add("force", ArgSpec.Type.BOOL, false, false)
                .add("non_unique", ArgSpec.Type.BOOL, false, false)
                .choice("update_password", "always", "always", "on_create")
                .secret("password").build();

    public UserModule() {
        super("user", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String name = Args.str(a, "name");
        String[] cur = AccountSupport.getent(ctx.host(), "passwd", name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("state", Args.str(a, "state"));
        if ("absent".equals(Args.str(a, "state"))) {
            m.put("force", Args.bool(a, "force"));
            m.put("remove", Args.bool(a, "remove"));
            if (cur == null) return ModuleResult.of(false, m);
            if (!ctx.checkMode()) {
                List<String> argv = new ArrayList<>(List.of("userdel"));
                if (Args.bool(a, "force")) argv.add("-f");
                if (Args.bool(a, "remove")) argv.add("-r");
                argv.add(name);
                ModuleResult bad = AccountSupport.run(ctx.host(), argv);
                if (bad != null) return bad;
            }
            return ModuleResult.of(true, m);
        }
        List<String> groups = Args.strings(a, "groups");
        boolean changed;
        List<String> argv = new ArrayList<>();
        if (cur == null) {
            changed = true;
            argv.add("useradd");
            if (a.get("uid") != null) argv.addAll(List.of("-u", String.valueOf(a.get("uid"))));
            if (Args.bool(a, "non_unique")) argv.add("-o");
            if (a.get("group") != null) argv.addAll(List.of("-g", Args.str(a, "group")));
            if (!groups.isEmpty()) argv.addAll(List.of("-G", String.join(",", groups)));
            if (a.get("shell") != null) argv.addAll(List.of("-s", Args.str(a, "shell")));
            if (a.get("home") != null) argv.addAll(List.of("-d", Args.str(a, "home")));
            if (a.get("comment") != null) argv.addAll(List.of("-c", Args.str(a, "comment")));
            if (a.get("password") != null) argv.addAll(List.of("-p", Args.str(a, "password")));
            if (Args.bool(a, "system")) argv.add("-r");
            argv.add(Args.bool(a, "create_home") ? "-m" : "-M");
            argv.add(name);
        } else {
            argv.add("usermod");
            // passwd fields: name:x:uid:gid:comment:home:shell
            if (a.get("uid") != null && !String.valueOf(a.get("uid")).equals(cur[2])) {
                argv.addAll(List.of("-u", String.valueOf(a.get("uid"))));
                if (Args.bool(a, "non_unique")) argv.add("-o");
            }
            if (a.get("group") != null && !groupMatches(ctx, Args.str(a, "group"), cur[3])) {
                argv.addAll(List.of("-g", Args.str(a, "group")));
            }
            if (a.get("groups") != null) {
                Set<String> have = supplementary(ctx, name, cur[3]);
                Set<String> want = new LinkedHashSet<>(groups);
                boolean differs = Args.bool(a, "append") ? !have.containsAll(want) : !have.equals(want);
                if (differs) {
                    if (Args.bool(a, "append")) argv.add("-a");
                    argv.addAll(List.of("-G", String.join(",", want)));
                }
            }
            if (a.get("shell") != null && !Args.str(a, "shell").equals(cur[6])) argv.addAll(List.of("-s", Args.str(a, "shell")));
            if (a.get("home") != null && !Args.str(a, "home").equals(cur[5])) {
                argv.addAll(List.of("-d", Args.str(a, "home")));
                if (Args.bool(a, "move_home")) argv.add("-m");
            }
            if (a.get("comment") != null && !Args.str(a, "comment").equals(cur[4])) argv.addAll(List.of("-c", Args.str(a, "comment")));
            if (a.get("password") != null && "always".equals(Args.str(a, "update_password"))) {
                ExecResult sh = ctx.host().exec(ExecSpec.argv(List.of("getent", "shadow", name)));
                String[] f = sh.stdoutText().split(":", -1);
                if (f.length < 2 || !f[1].equals(Args.str(a, "password"))) argv.addAll(List.of("-p", Args.str(a, "password")));
            }
            changed = argv.size() > 1;
            argv.add(name);
        }
        if (changed && !ctx.checkMode()) {
            ModuleResult bad = AccountSupport.run(ctx.host(), argv);
            if (bad != null) return bad;
        }
        String[] now = ctx.checkMode() ? cur : AccountSupport.getent(ctx.host(), "passwd", name);
        if (now != null) {
            m.put("uid", Integer.parseInt(now[2]));
            m.put("group", Integer.parseInt(now[3]));
            m.put("comment", now[4]);
            m.put("home", now[5]);
            m.put("shell", now[6]);
            if (!ctx.checkMode()) m.put("groups", String.join(",", supplementary(ctx, name, now[3])));
        }
        m.put("system", Args.bool(a, "system"));
        m.put("create_home", Args.bool(a, "create_home"));
        return ModuleResult.of(changed, m);
    }

    private static boolean groupMatches(ModuleContext ctx, String want, String gid) throws IOException {
        if (want.equals(gid)) return true;
        String[] g = AccountSupport.getent(ctx.host(), "group", want);
        return g != null && g[2].equals(gid);
    }

    /** Supplementary groups: id -Gn without the primary group. */
    private static Set<String> supplementary(ModuleContext ctx, String name, String primaryGid) throws IOException {
        ExecResult r = ctx.host().exec(ExecSpec.argv(List.of("id", "-Gn", "--", name)));
        Set<String> s = new LinkedHashSet<>();
        String[] primary = AccountSupport.getent(ctx.host(), "group", primaryGid);
        for (String g : r.stdoutText().strip().split("\\s+")) {
            if (!g.isEmpty() && (primary == null || !g.equals(primary[0]))) s.add(g);
        }
        return s;
    }
}
