package dev.drover.modules;

import java.io.IOException;

/**
 * A module: one class with its argument spec. It runs against a host through {@link ModuleContext#host()}
 * and returns Ansible's return values ({@code changed}, {@code failed}, {@code msg}, {@code rc}, ...).
 * Adding a module touches one file (the class, registered in {@link ModuleRegistry}) and one test.
 */
public interface Module {

    /** The short name, as written in playbooks ({@code command}); FQCN forms are mapped by the loader. */
    String name();

    ArgSpec spec();

    /** Whether the module can simulate in check mode; those that cannot are skipped there. */
    boolean supportsCheckMode();

    /**
     * Runs with arguments already templated and validated against {@link #spec()}. A failure the user should
     * see is returned as {@link ModuleResult#failed}; a broken connection is thrown as
     * {@link dev.drover.transport.TransportException}.
     */
    ModuleResult run(ModuleContext ctx) throws IOException;
}
