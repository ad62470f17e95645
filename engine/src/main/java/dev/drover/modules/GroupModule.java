package dev.drover.modules;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's {@code group}: a local group with groupadd/groupmod/groupdel. */
public final class GroupModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("name", ArgSpec.Type.STR, true, null)
            .choice("state", "present", "absent", "present")
            .add("gid", ArgSpec.Type.INT, false, null)
            .add("system", ArgSpec.Type.BOOL, false, false)
            .add("non_unique", ArgSpec.Type.BOOL, false, false)
            .add("force", ArgSpec.Type.BOOL, false, false)
            .add("local", ArgSpec.Type.BOOL, false, false).build();

    public GroupModule() {
        super("group", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String name = Args.str(a, "name");
        Integer gid = Args.integer(a, "gid");
        String[] cur = AccountSupport.getent(ctx.host(), "group", name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("state", Args.str(a, "state"));
        if ("absent".equals(Args.str(a, "state"))) {
            if (cur == null) return ModuleResult.of(false, m);
            if (!ctx.checkMode()) {
                List<String> argv = new ArrayList<>(List.of("groupdel"));
                if (Args.bool(a, "force")) argv.add("-f");
                argv.add(name);
                ModuleResult bad = AccountSupport.run(ctx.host(), argv);
                if (bad != null) return bad;
            }
            return ModuleResult.of(true, m);
        }
        m.put("system", Args.bool(a, "system"));
        if (cur == null) {
            if (!ctx.checkMode()) {
                List<String> argv = new ArrayList<>(List.of("groupadd"));
                if (gid != null) argv.addAll(List.of("-g", String.valueOf(gid)));
                if (Args.bool(a, "non_unique")) argv.add("-o");
                if (Args.bool(a, "system")) argv.add("-r");
                argv.add(name);
                ModuleResult bad = AccountSupport.run(ctx.host(), argv);
                if (bad != null) return bad;
                cur = AccountSupport.getent(ctx.host(), "group", name);
            }
            if (cur != null) m.put("gid", Integer.parseInt(cur[2]));
            else if (gid != null) m.put("gid", gid);
            return ModuleResult.of(true, m);
        }
        boolean changed = gid != null && gid != Integer.parseInt(cur[2]);
        if (changed && !ctx.checkMode()) {
            List<String> argv = new ArrayList<>(List.of("groupmod", "-g", String.valueOf(gid)));
            if (Args.bool(a, "non_unique")) argv.add("-o");
            argv.add(name);
            ModuleResult bad = AccountSupport.run(ctx.host(), argv);
            if (bad != null) return bad;
        }
        m.put("gid", changed ? gid : Integer.parseInt(cur[2]));
        return ModuleResult.of(changed, m);
    }
}
