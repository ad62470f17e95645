package dev.drover.report;

import dev.drover.vault.Secrets;
import dev.drover.yaml.VaultText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of files other programs read (reports, event streams): values under keys that name a secret
 * ({@code ansible_become_password}, {@code db_password}, {@code api_token}, ...) are replaced, and so is every
 * occurrence of a known secret value inside any other string (a password echoed into stdout or a message).
 * {@code no_log} results are already censored by the executor; this is the second line.
 */
public final class Redactor {
    public static final String MASK = "********";
    /**
     * A name that ends in a secret word ({@code db_password}, {@code api_token}) or starts with {@code vault_}; not
     * one that only contains it ({@code pg_password_encryption}, {@code ansible_ssh_private_key_file}). {@code _pass}
     * only after a separator: Ansible's {@code ansible_ssh_pass} and {@code ansible_become_pass}, not "bypass".
     */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(?:.*[_.-])?(?:password|passwd|passphrase|secret|secret_key|token|api_key|private_key)|.+[_.-]pass|vault_.*");
    /** Values of secret-named settings that are modes, not secrets ({@code update_password: always}). */
    private static final Set<String> NOT_SECRET_VALUES = Set.of("always", "never", "on_create", "yes", "no", "true",
            "false", "none", "null", "omit", "scram-sha-256", "md5", "trust", "peer");
    /** Shorter values are not replaced inside other text: masking every "1" or "yes" would garble the output. */
    private static final int MIN_VALUE_LENGTH = 4;

    public static final Redactor NONE = new Redactor(Set.of());

    /** Longest first, so a secret that contains another is masked whole. */
    private final List<String> values;

    /** Values known only while the run goes (vault plaintexts, opened when first used); null for none. */
    private final Secrets opened;

    public Redactor(Collection<String> secretValues) {
        this(secretValues, null);
    }

    private Redactor(Collection<String> secretValues, Secrets opened) {
        this.opened = opened;
        Set<String> sorted = new TreeSet<>((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
        for (String v : secretValues) if (v != null && v.length() >= MIN_VALUE_LENGTH) sorted.add(v);
        this.values = List.copyOf(sorted);
    }

    /** This redactor, also masking every value the run's vault opens (now or later). */
    public Redactor and(Secrets vaultSecrets) {
        return new Redactor(values, vaultSecrets);
    }

    /** The secret values known before the run (not those a vault opens later), longest first. */
    public List<String> values() {
        return values;
    }

    /** Whether a variable or result key names a secret. */
    public static boolean secretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /**
     * The secret values among variables: the values (strings and numbers, nested ones too) of every key that names a
     * secret. Templated values ({@code "{{ vault_db_password }}"}) are skipped: their target is collected itself.
     */
    public static Redactor fromVariables(Collection<? extends Map<String, Object>> layers) {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> layer : layers) collect(layer, false, found);
        return new Redactor(found);
    }

    private static void collect(Object v, boolean secret, List<String> out) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, val) -> collect(val, secret || secretKey(String.valueOf(k)), out));
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) collect(o, secret, out);
        } else if (secret && (v instanceof String || v instanceof Number)) {
            String s = String.valueOf(v);
            if (!s.contains("{{") && !NOT_SECRET_VALUES.contains(s.toLowerCase(java.util.Locale.ROOT))) out.add(s);
        }
    }

    /**
     * A sink that adds to {@code secrets} the values of secret-named variables a task sets ({@code set_fact:
     * session_token: ...}, {@code register: admin_password}): they are not known before the run. It must see each
     * event before the other sinks: the executor announces the variables before the result that prints them.
     */
    public static EventSink learning(Secrets secrets) {
        return event -> {
            if (event instanceof Event.HostVarsSet e) {
                List<String> found = new ArrayList<>();
                collect(e.vars(), false, found);
                for (String v : found) if (v.length() >= MIN_VALUE_LENGTH) secrets.add(v);
            }
        };
    }

    /** A copy of a JSON-like value (maps, lists, scalars) with secrets masked: scalars under secret keys, known values. */
    public Object redact(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> {
                String key = String.valueOf(k);
                // only scalars: a map under such a key (hosts named "vault1" in the stats) is searched, not hidden
                boolean scalar = val instanceof String || val instanceof Number;
                out.put(key, scalar && secretKey(key) ? MASK : redact(val));
            });
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(redact(o));
            return out;
        }
        if (v instanceof String s) return text(s);
        if (v instanceof VaultText) return MASK;
        if (v == null || v instanceof Number || v instanceof Boolean) return v;
        return text(String.valueOf(v));
    }

    /** {@link #redact(Object)} for a result map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> redactMap(Map<String, Object> m) {
        return m == null ? null : (Map<String, Object>) redact(m);
    }

    /** A string with every known secret value masked. */
    public String text(String s) {
        if (s == null) return null;
        for (String secret : values) if (s.contains(secret)) s = s.replace(secret, MASK);
        return opened == null ? s : opened.redact(s);
    }
}
