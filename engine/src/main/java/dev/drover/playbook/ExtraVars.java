package dev.drover.playbook;

import dev.drover.error.ExitCode;
import dev.drover.error.UserError;
import dev.drover.yaml.VaultKeys;
import dev.drover.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e} values as ansible-playbook reads them: {@code @file.yml} (YAML or JSON file),
 * an inline YAML/JSON mapping ({@code '{"a": 1}'}), or {@code k=v k2="v 2"} words (values stay strings).
 * Later values override earlier ones.
 */
public final class ExtraVars {
    private ExtraVars() {}

    public static Map<String, Object> parse(List<String> values) {
        return parse(values, VaultKeys.NONE);
    }

    /** As {@link #parse(List)}; an {@code @file} that is a vault is opened with {@code vault}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(List<String> values, VaultKeys vault) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String text = v.strip();
            if (text.isEmpty()) continue;
            Object data;
            if (text.startsWith("@")) {
                Path file = Path.of(text.substring(1));
                if (!Files.isRegularFile(file)) {
                    throw bad("-e " + v + ": file '" + file + "' not found");
                }
                YamlReader.Document doc = YamlReader.parse(file, vault);
                data = doc.toJava();
                if (data == null) continue;
                if (!(data instanceof Map<?, ?>)) { // the file is wrong, not the option: bad input, at the file
                    throw UserError.expected(doc.position(doc.root()), "variables file given with -e @",
                            "a mapping of variables", data);
                }
            } else if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    data = YamlReader.parse(Path.of("-e"), text).toJava();
                } catch (UserError e) {
                    throw bad("-e '" + v + "': " + e.getMessage());
                }
                if (!(data instanceof Map<?, ?>)) {
                    throw bad("-e '" + v + "': expected a mapping of variables, found " + UserError.describe(data));
                }
            } else {
                Map<String, Object> kv;
                try {
                    kv = KvParser.parse(text, false);
                } catch (KvParser.SplitException e) {
                    throw bad("-e '" + v + "': " + e.getMessage());
                }
                if (kv.containsKey("_raw_params")) {
                    throw bad("-e '" + v + "': expected key=value pairs, @file or a JSON/YAML mapping, found '"
                            + kv.get("_raw_params") + "'");
                }
                data = kv;
            }
            out.putAll((Map<String, Object>) data);
        }
        return out;
    }

    private static UserError bad(String message) {
        return new UserError(null, message, ExitCode.BAD_OPTIONS, null);
    }
}
