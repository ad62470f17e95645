package dev.drover.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Ansible's {@code template}: renders a controller Jinja2 file with the task's variables and puts it like copy. */
public final class TemplateModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("src", ArgSpec.Type.PATH, true, null)
            .add("dest", ArgSpec.Type.PATH, true, null)
            .add("backup", ArgSpec.Type.BOOL, false, false)
            .add("force", ArgSpec.Type.BOOL, false, true)
            .add("validate", ArgSpec.Type.STR, false, null)
            .add("follow", ArgSpec.Type.BOOL, false, false)
            .choice("newline_sequence", "\n", "\n", "\r", "\r\n")
            .add("output_encoding", ArgSpec.Type.STR, false, "utf-8")).build();

    public TemplateModule() {
        super("template", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        Path src = ctx.findFile("templates", Args.str(a, "src"));
        String text = new String(ctx.readLocal(src), StandardCharsets.UTF_8);
        String rendered = ctx.renderTemplate(text, src);
        String nl = Args.str(a, "newline_sequence");
        if (!"\n".equals(nl)) rendered = rendered.replace("\r\n", "\n").replace("\n", nl);
        String dest = Args.str(a, "dest");
        // a dest naming a directory gets the template's own name inside it
        String name = src.getFileName().toString();
        String into = dest.endsWith("/") ? null : name;
        if (into == null) dest = dest + name;
        java.nio.charset.Charset cs;
        try {
            cs = java.nio.charset.Charset.forName(Args.str(a, "output_encoding"));
        } catch (IllegalArgumentException e) {
            return ModuleResult.failed("unknown output_encoding '" + Args.str(a, "output_encoding") + "'");
        }
        return PutFile.put(ctx, dest, into, rendered.getBytes(cs), PutFile.options(a), src.toString());
    }
}
