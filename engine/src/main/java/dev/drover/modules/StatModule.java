package dev.drover.modules;

import dev.drover.host.ExecSpec;
import dev.drover.transport.ExecResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ansible's {@code stat}: everything about one path, in Ansible's {@code stat} dictionary. */
public final class StatModule extends AbstractModule {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add("path", ArgSpec.Type.PATH, true, null, "dest", "name")
            .add("follow", ArgSpec.Type.BOOL, false, false)
            .add("get_checksum", ArgSpec.Type.BOOL, false, true)
            .add("checksum_algorithm", ArgSpec.Type.STR, false, "sha1", "checksum", "checksum_algo")
            .add("get_mime", ArgSpec.Type.BOOL, false, true, "mime", "mime_type", "mime-type")
            .add("get_attributes", ArgSpec.Type.BOOL, false, true, "attr", "attributes")
            .add("get_md5", ArgSpec.Type.BOOL, false, false).build();

    private static final List<String> ALGOS = List.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    /**
     * One round trip. The path and options arrive as positional parameters ($1..$5), so they are data to the
     * script, never shell syntax ($3, the algorithm, is checked against ALGOS first). Output: stat fields, test
     * results, checksum, mime, lsattr (each captured so a failing tool still prints its one line), realpath, readlink.
     */
    // file(1) runs without following even when follow=yes: Ansible reports a link's own mime type then too.
    private static final String SCRIPT = String.join("\n",
            "p=$1; if [ \"$2\" = yes ]; then [ -e \"$p\" ] || { echo MISSING; exit 0; }; L=-L; else",
            "  { [ -e \"$p\" ] || [ -L \"$p\" ]; } || { echo MISSING; exit 0; }; L=; fi",
            "stat $L --printf '%f\\n%u\\n%g\\n%U\\n%G\\n%s\\n%i\\n%d\\n%h\\n%.6X\\n%.6Y\\n%.6Z\\n%b\\n%o\\n%t\\n%T\\n' -- \"$p\" || exit 3",
            "[ -r \"$p\" ] && echo yes || echo no; [ -w \"$p\" ] && echo yes || echo no; [ -x \"$p\" ] && echo yes || echo no",
            "if [ -n \"$3\" ] && [ -f \"$p\" ] && { [ -n \"$L\" ] || [ ! -L \"$p\" ]; } && [ -r \"$p\" ]; then",
            "  c=$(${3}sum < \"$p\" | cut -d' ' -f1); echo \"$c\"; else echo; fi",
            "if [ \"$4\" = yes ] && command -v file >/dev/null 2>&1; then m=$(file -b -h --mime -- \"$p\" | head -n 1); echo \"$m\"; else echo; fi",
            "if [ \"$5\" = yes ] && command -v lsattr >/dev/null 2>&1 && { [ -f \"$p\" ] || [ -d \"$p\" ]; }; then",
            "  a=$(lsattr -d -- \"$p\" 2>/dev/null | cut -d' ' -f1); echo \"$a\"; else echo; fi",
            "if [ -L \"$p\" ]; then readlink -f -- \"$p\" || echo; readlink -- \"$p\"; fi");

    public StatModule() {
        super("stat", SPEC, true);
    }

    @Override
    public ModuleResult run(ModuleContext ctx) throws IOException {
        Map<String, Object> a = ctx.args();
        String path = Args.str(a, "path");
        String algo = Args.str(a, "checksum_algorithm").toLowerCase();
        if (!ALGOS.contains(algo)) {
            return ModuleResult.failed("checksum_algorithm must be one of " + ALGOS + ", found '" + algo + "'");
        }
        boolean follow = Args.bool(a, "follow");
        ExecResult r = ctx.host().exec(ExecSpec.argv(List.of("sh", "-c", SCRIPT, "sh", path, follow ? "yes" : "no",
                Args.bool(a, "get_checksum") ? algo : "", Args.bool(a, "get_mime") ? "yes" : "no",
                Args.bool(a, "get_attributes") ? "yes" : "no")));
        if (r.rc() != 0) return ModuleResult.failed("cannot stat " + path + ": " + r.stderrText().strip());
        String out = r.stdoutText();
        if (out.startsWith("MISSING")) return ModuleResult.of(false, Map.of("stat", Map.of("exists", false)));
        String[] f = out.split("\n", -1);
        int raw = Integer.parseInt(f[0], 16);
        int fmt = raw & 0170000;
        int perm = raw & 07777;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("exists", true);
        s.put("path", path);
        s.put("mode", FileSupport.modeString(perm));
        s.put("isdir", fmt == 0040000);
        s.put("ischr", fmt == 0020000);
        s.put("isblk", fmt == 0060000);
        s.put("isreg", fmt == 0100000);
        s.put("isfifo", fmt == 0010000);
        s.put("islnk", fmt == 0120000);
        s.put("issock", fmt == 0140000);
        s.put("uid", Integer.parseInt(f[1]));
        s.put("gid", Integer.parseInt(f[2]));
        s.put("pw_name", f[3]);
        s.put("gr_name", f[4]);
        s.put("size", Long.parseLong(f[5]));
        s.put("inode", Long.parseLong(f[6]));
        s.put("dev", Long.parseLong(f[7]));
        s.put("nlink", Integer.parseInt(f[8]));
        s.put("atime", new BigDecimal(f[9]).doubleValue());
        s.put("mtime", new BigDecimal(f[10]).doubleValue());
        s.put("ctime", new BigDecimal(f[11]).doubleValue());
        s.put("blocks", Long.parseLong(f[12]));
        s.put("block_size", Long.parseLong(f[13]));
        s.put("device_type", (Integer.parseInt(f[14], 16) << 8) | Integer.parseInt(f[15], 16));
        FileSupport.permissionFlags(perm, s);
        s.put("isuid", (perm & 04000) != 0);
        s.put("isgid", (perm & 02000) != 0);
        s.put("readable", f[16].equals("yes"));
        s.put("writeable", f[17].equals("yes"));
        s.put("executable", f[18].equals("yes"));
        if (!f[19].isEmpty()) s.put("checksum", f[19]);
        if (!f[20].isEmpty()) {
            // "text/plain; charset=us-ascii"
            String[] mime = f[20].split(";\\s*charset=");
            s.put("mimetype", mime[0].strip());
            if (mime.length > 1) s.put("charset", mime[1].strip());
        }
        if (Args.bool(a, "get_attributes")) {
            String flags = f[21].replace("-", "");
            s.put("attr_flags", flags);
            s.put("attributes", attributeNames(flags));
        }
        if (fmt == 0120000 && f.length > 23) {
            s.put("lnk_source", f[22]);
            s.put("lnk_target", f[23]);
        }
        return ModuleResult.of(false, Map.of("stat", s));
    }

    /** lsattr letters to the names Ansible reports. */
    private static List<String> attributeNames(String flags) {
        Map<Character, String> names = Map.ofEntries(Map.entry('a', "append"), Map.entry('A', "noatime"),
                Map.entry('c', "compressed"), Map.entry('C', "nocow"), Map.entry('d', "nodump"),
                Map.entry('D', "dirsync"), Map.entry('e', "extents"), Map.entry('E', "encrypted"),
                Map.entry('F', "casefold"), Map.entry('i', "immutable"), Map.entry('I', "indexed"),
                Map.entry('j', "journalled"), Map.entry('N', "inline"), Map.entry('P', "projinherit"),
                Map.entry('s', "secure"), Map.entry('S', "synchronous"), Map.entry('t', "notail"),
                Map.entry('T', "topdir"), Map.entry('u', "undelete"), Map.entry('V', "verity"));
        List<String> out = new ArrayList<>();
        for (char c : flags.toCharArray()) out.add(names.getOrDefault(c, String.valueOf(c)));
        return out;
    }
}
