package dev.drover.modules;

import java.io.IOException;

/** Ansible's {@code shell}: runs a command line through {@code /bin/sh} (or {@code executable}). */
public final class ShellModule extends AbstractModule {
    private static final ArgSpec SPEC = CommandModule.commonSpec(true);

    public ShellModule() {
        super("shell", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        return CommandModule.execute(ctx, true);
    }
}
