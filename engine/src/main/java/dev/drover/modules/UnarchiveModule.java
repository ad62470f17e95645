package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.host.FileAttrs;
import dev.drover.host.FileStat;
import dev.drover.host.HostOps;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code unarchive} for tar archives (plain, gz, bz2, xz; GNU tar detects the compression). Unchanged
 * when {@code tar --diff} finds dest already holds the archive's contents.
 */
public final class UnarchiveModule extends AbstractModule {
    private static final ArgSpec SPEC = FileSupport.attrArgs(ArgSpec.builder()
            .add("src", ArgSpec.Type.PATH, true, null)
            .add("dest", ArgSpec.Type.PATH, true, null)
            .add("remote_src", ArgSpec.Type.BOOL, false, false)
            .add("creates", ArgSpec.Type.PATH, false, null)
            .add("list_files", ArgSpec.Type.BOOL, false, false)
            .add("keep_newer", ArgSpec.Type.BOOL, false, false)
            .add("exclude", ArgSpec.Type.LIST, false, List.of())
            .add("extra_opts", ArgSpec.Type.LIST, false, List.of())).build();

    public UnarchiveModule() {
        super("unarchive", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        HostOps host = ctx.host();
        String dest = Args.str(a, "dest");
        String src = Args.str(a, "src");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest", dest);
        m.put("src", src);
        if (a.get("creates") != null && host.stat(Args.str(a, "creates"), false, false).exists()) {
            m.put("skipped", true);
            m.put("msg", "skipped, since " + Args.str(a, "creates") + " exists");
            return ModuleResult.of(false, m);
        }
        FileStat ds = host.stat(dest, false, true);
        if (!ds.exists() || !ds.isDirectory()) return ModuleResult.failed("Destination '" + dest + "' is not a directory", m);
        String archive = src;
        String tmpDir = null;
        try {
            if (!Args.bool(a, "remote_src")) {
                Path local = ctx.findFile("files", src);
                ExecResult mk = host.exec(ExecSpec.argv(List.of("mktemp", "-d", "/tmp/drover-unarchive.XXXXXXXX")));
                if (mk.rc() != 0) return ModuleResult.failed("cannot create a temporary directory: " + mk.stderrText().strip());
                tmpDir = mk.stdoutText().strip();
                archive = tmpDir + "/" + local.getFileName();
                host.writeFile(archive, Files.readAllBytes(local), new FileAttrs(0600, null, null));
            } else if (!host.stat(src, false, true).exists()) {
                return ModuleResult.failed("Source '" + src + "' does not exist", m);
            }
            ExecResult list = host.exec(ExecSpec.argv(List.of("tar", "-tf", archive)));
            if (list.rc() != 0) {
                return ModuleResult.failed("Failed to find handler for \"" + src + "\". Make sure the required command "
                        + "to extract the file is installed. " + list.stderrText().strip(), m);
            }
            m.put("handler", "TgzArchive");
            List<String> opts = new ArrayList<>();
            for (String x : Args.strings(a, "exclude")) opts.add("--exclude=" + x);
            opts.addAll(Args.strings(a, "extra_opts"));
            List<String> diff = new ArrayList<>(List.of("tar", "-d", "-f", archive, "-C", dest));
            diff.addAll(opts);
            boolean changed = host.exec(ExecSpec.argv(diff)).rc() != 0;
            if (changed && !ctx.checkMode()) {
                List<String> x = new ArrayList<>(List.of("tar", "-x", "-f", archive, "-C", dest));
                if (Args.bool(a, "keep_newer")) x.add("--keep-newer-files");
                x.addAll(opts);
                ExecResult r = host.exec(ExecSpec.argv(x));
                Map<String, Object> er = new LinkedHashMap<>();
                er.put("cmd", x);
                er.put("rc", r.rc());
                er.put("out", r.stdoutText());
                er.put("err", r.stderrText());
                m.put("extract_results", er);
                if (r.rc() != 0) return ModuleResult.failed("failed to unpack " + src + " to " + dest + ": " + r.stderrText().strip(), m);
            }
            FileAttrs attrs = FileSupport.attrs(a, ds.mode(), true);
            if (!attrs.isEmpty()) {
                for (String f : list.stdoutText().split("\n")) {
                    if (f.isBlank()) continue;
                    String p = dest + "/" + f;
                    if (ctx.checkMode() && !host.stat(p, false, false).exists()) continue;
                    FileStat st = host.stat(p, false, false);
                    if (st.isLink()) continue;
                    changed |= FileSupport.applyAttrs(ctx, p, FileSupport.attrs(a, st.mode(), st.isDirectory()));
                }
            }
            if (Args.bool(a, "list_files")) {
                List<String> files = new ArrayList<>();
                for (String f : list.stdoutText().split("\n")) if (!f.isBlank()) files.add(f);
                m.put("files", files);
            }
            m.putAll(FileSupport.info(host, dest, true));
            m.put("state", "directory");
            return ModuleResult.of(changed, m);
        } finally {
            if (tmpDir != null) host.remove(tmpDir, true);
        }
    }
}
