package dev.drover.modules;

import dev.drover.host.HostOps;
import java.nio.file.Path;
import java.util.Map;

/** What a module sees of the run: its arguments, the host, the modes, and controller-side files and templates. */
public interface ModuleContext {

    /** Validated arguments: every spec'd name present (null when absent without default). */
    Map<String, Object> args();

    HostOps host();

    String inventoryHostname();

    boolean checkMode();

    boolean diffMode();

    /**
     * Finds a controller-side file for {@code src}: absolute as given, else in the role's {@code files/}
     * (or {@code templates/} when {@code kind} is "templates"), then the playbook directory. Throws a
     * positioned user error naming every place searched when nothing is found.
     */
    Path findFile(String kind, String src);

    /**
     * The bytes of a controller-side file found with {@link #findFile}; a vaulted file is decrypted (Ansible's
     * copy and template do this) and its content marked sensitive.
     */
    default byte[] readLocal(Path file) throws java.io.IOException {
        return java.nio.file.Files.readAllBytes(file);
    }

    /** Renders Jinja2 text with the task's variables (for the template module). */
    String renderTemplate(String text, Path source);
}
