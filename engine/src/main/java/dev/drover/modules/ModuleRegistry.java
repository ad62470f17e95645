package dev.drover.modules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The modules Drover implements, by short name. No classpath scanning: modules are listed here. */
public final class ModuleRegistry {
    private final Map<String, Module> modules = new LinkedHashMap<>();

    public ModuleRegistry(List<Module> list) {
        for (Module m : list) modules.put(m.name(), m);
    }

    /** Every built-in host module. */
    public static ModuleRegistry standard() {
        return new ModuleRegistry(List.of(
                new CommandModule(), new ShellModule(), new RawModule(),
                new CopyModule(), new TemplateModule(), new FileModule(), new StatModule(),
                new LineinfileModule(), new BlockinfileModule(), new SlurpModule(), new FetchModule(),
                new ScriptModule(), new FindModule(), new WaitForModule(), new ServiceModule(), new SystemdModule(),
                new UserModule(), new GroupModule(), new UriModule(), new ArchiveModule(), new UnarchiveModule(),
                new PackageFactsModule(), new SetupModule(), new ExpectModule()));
    }

    public Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(modules.keySet());
    }
}
