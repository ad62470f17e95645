package dev.drover.modules;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Ansible's {@code setup}: the host's facts under {@code ansible_facts}, keys prefixed with {@code ansible_}. */
public final class SetupModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("gather_subset", ArgSpec.Type.LIST, false, List.of("all"))
            .add("gather_timeout", ArgSpec.Type.INT, false, 10)
            .add("filter", ArgSpec.Type.LIST, false, List.of())
            .add("fact_path", ArgSpec.Type.PATH, false, "/etc/ansible/facts.d").build();

    public SetupModule() {
        super("setup", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        List<Pattern> filters = new java.util.ArrayList<>();
        for (String f : Args.strings(ctx.args(), "filter")) filters.add(Pattern.compile(FindModule.glob(f)));
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.host().facts().entrySet()) {
            String key = "ansible_" + e.getKey();
            if (filters.isEmpty() || filters.stream().anyMatch(p -> p.matcher(key).matches())) facts.put(key, e.getValue());
        }
        facts.put("gather_subset", Args.strings(ctx.args(), "gather_subset"));
        facts.put("module_setup", true);
        return ModuleResult.of(false, Map.of("ansible_facts", facts));
    }
}
