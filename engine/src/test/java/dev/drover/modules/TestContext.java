package dev.drover.modules;

import dev.drover.error.Position;
import dev.drover.host.HostOps;
import dev.drover.template.Templar;
import dev.drover.template.Vars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A ModuleContext for tests: arguments validated by the module's own spec (so a test also exercises ArgSpec),
 * controller files under one directory, and template rendering by Drover's Templar with a plain variable map.
 */
final class TestContext implements ModuleContext {
    private final Map<String, Object> args;
    private final HostOps host;
    private final boolean check;
    private final boolean diff;
    private final Path controllerDir;
    private final Map<String, Object> vars;

    TestContext(Module m, Map<String, Object> given, HostOps host, boolean check, boolean diff, Path controllerDir,
                Map<String, Object> vars) {
        this.args = m.spec().validate(given);
        this.host = host;
        this.check = check;
        this.diff = diff;
        this.controllerDir = controllerDir;
        this.vars = vars;
    }

    ModuleResult run(Module m) throws java.io.IOException {
        return m.run(this);
    }

    @Override
    public Map<String, Object> args() {
        return args;
    }

    @Override
    public HostOps host() {
        return host;
    }

    @Override
    public String inventoryHostname() {
        return "testhost";
    }

    @Override
    public boolean checkMode() {
        return check;
    }

    @Override
    public boolean diffMode() {
        return diff;
    }

    @Override
    public Path findFile(String kind, String src) {
        Path p = Path.of(src);
        if (p.isAbsolute()) return p;
        Path inKind = controllerDir.resolve(kind).resolve(src);
        if (Files.exists(inKind)) return inKind;
        Path plain = controllerDir.resolve(src);
        if (Files.exists(plain)) return plain;
        throw new IllegalArgumentException("could not find '" + src + "' in " + inKind + " or " + plain);
    }

    @Override
    public String renderTemplate(String text, Path source) {
        // Drover's own templar, as the executor uses it (TaskRunner), searching beside the template first.
        return new Templar(controllerDir).renderText(text, Vars.of(vars), Position.file(source), List.of(source.getParent(), controllerDir));
    }
}
