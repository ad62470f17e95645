package dev.drover.playbook;

import java.util.List;

/**
 * What a task's written action turned out to be, as the {@link ModuleResolver} found it. {@link #action()} is
 * the name the executor dispatches on ({@link Task#action()}).
 */
public sealed interface ResolvedAction {
    /** The name the executor knows the action by: the short name of a built-in ({@code command}, not its FQCN). */
    String action();

    /** {@code import_*} (expanded by the loader) and {@code include_*} (loaded by the executor at run time). */
    record LoaderAction(String action) implements ResolvedAction {}

    /** An action the executor runs on the controller ({@code debug}, {@code set_fact}, ...). */
    record ControllerAction(String action) implements ResolvedAction {}

    /** A module Drover implements natively (a {@code dev.drover.modules.Module}). */
    record NativeModule(String action) implements ResolvedAction {}

    /**
     * Found nowhere. A source that looks in places (directories, collections) lists them in {@code searched},
     * for the error; the native source has none.
     */
    record NotFound(String action, List<String> searched) implements ResolvedAction {
        public NotFound {
            searched = List.copyOf(searched);
        }
    }

    /**
     * A module another {@link ModuleSource} provides (the Python module bridge): the source's own record says
     * where the module is, and the executor asks that source how to run it.
     */
    non-sealed interface Provided extends ResolvedAction {}
}
