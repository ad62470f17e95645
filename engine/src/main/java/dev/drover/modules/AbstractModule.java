package dev.drover.modules;

/** Holds what every module declares (name, spec, check-mode support) so a module class is only its behaviour. */
abstract class AbstractModule implements Module {
    private final String name;
    private final ArgSpec spec;
    private final boolean checkMode;

    AbstractModule(String name, ArgSpec spec, boolean checkMode) {
        this.name = name;
        this.spec = spec;
        this.checkMode = checkMode;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ArgSpec spec() {
        return spec;
    }

    @Override
    public final boolean supportsCheckMode() {
        return checkMode;
    }
}
