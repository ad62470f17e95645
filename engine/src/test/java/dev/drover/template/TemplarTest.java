package dev.drover.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.Position;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Templar API the executor uses: native values, conditions, lazy variables, strict errors, omit, views. */
class TemplarTest {
    private static final Position WHERE = new Position("site.yml", 12, 9);
    private final Templar templar = new Templar(Path.of("."));

    private static Vars vars(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return Vars.of(m);
    }

    private Object t(Object value, Object... kv) {
        return templar.template(value, vars(kv), WHERE);
    }

    // ------------------------------------------------------------------ native values

    static Stream<Arguments> nativeValues() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("a", 1L);
        return Stream.of(
                Arguments.of("{{ 5 }}", 5L),
                Arguments.of("{{ 2.5 }}", 2.5),
                Arguments.of("{{ [1, 2] }}", List.of(1L, 2L)),
                Arguments.of("{{ {'a': 1} }}", dict),
                Arguments.of("{{ true }}", true),
                Arguments.of("{{ none }}", null),
                Arguments.of("{{ n }}", 7),
                Arguments.of("{{ n + 1 }}", 8L),
                Arguments.of("{{ 'x' }}", "x"),
                Arguments.of("{{ n }}-{{ n }}", "7-7"),
                Arguments.of(" {{ n }}", " 7"),
                Arguments.of("{{ true }}!", "True!"),
                Arguments.of("plain text", "plain text"),
                Arguments.of("{{ omit }}", Templar.OMIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nativeValues")
    void aLoneExpressionKeepsItsType(String template, Object expected) {
        assertThat(t(template, "n", 7)).isEqualTo(expected);
    }

    @Test
    void listsAndMapsAreTemplatedRecursivelyAndUntemplatedValuesReturnedAsTheyAre() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("port", "{{ p }}");
        raw.put("args", List.of("--port={{ p }}", 3, true));
        raw.put("{{ k }}", "key templated");
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("port", 5432);
        expected.put("args", List.of("--port=5432", 3, true));
        expected.put("name", "key templated");
        assertThat(t(raw, "p", 5432, "k", "name")).isEqualTo(expected);

        List<Object> plain = List.of("a", 1);
        assertThat(t(plain)).isSameAs(plain);
        assertThat(t(42)).isEqualTo(42);
        assertThat(t(null)).isNull();
    }

    @Test
    void isTemplatedLooksInsideStructures() {
        assertThat(Templar.isTemplated("{{ x }}")).isTrue();
        assertThat(Templar.isTemplated("{% if x %}{% endif %}")).isTrue();
        assertThat(Templar.isTemplated("{# c #}")).isTrue();
        assertThat(Templar.isTemplated(List.of("a", Map.of("k", "{{ v }}")))).isTrue();
        assertThat(Templar.isTemplated(Map.of("{{ k }}", 1))).isTrue();
        assertThat(Templar.isTemplated("a { b } c")).isFalse();
        assertThat(Templar.isTemplated(5)).isFalse();
    }

    @Test
    void toPythonRendersLikePythonStr() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", List.of("x", true));
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add(1.0);
        withNull.add("it's");
        assertThat(Templar.toPython(m)).isEqualTo("{'a': 1, 'b': ['x', True]}");
        assertThat(Templar.toPython(withNull)).isEqualTo("[None, 1.0, \"it's\"]");
        assertThat(Templar.toPython(false)).isEqualTo("False");
        assertThat(Templar.toPython(null)).isEqualTo("None");
        assertThat(Templar.toPython(1e-7)).isEqualTo("1e-07");
        assertThat(Templar.toPython(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
    }

    // ------------------------------------------------------------------ conditions

    // Expectations from ansible-playbook 2.14: one debug task per row with the row's when: and the vars
    // n: 5, s: "false", expr_str: "n > 3", e: "", lst: []; "ran" = true, "skipped" = false.
    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("s", true),               // a non-empty string is true, even "false"
                Arguments.of("{{ n > 3 }}", true),
                Arguments.of("{{ expr_str }}", true),  // the rendered text is evaluated again
                Arguments.of(List.of("n > 3", "n < 4"), false),
                Arguments.of("e", false),
                Arguments.of("lst", false),
                Arguments.of("nothere is defined", false),
                Arguments.of("not nothere is defined", true),
                Arguments.of("'x' in 'xyz'", true),
                Arguments.of("n", true),
                Arguments.of("{{ s }}", false),         // renders to "false", evaluated as the literal false
                Arguments.of("{{ e }}", false),
                Arguments.of(true, true),
                Arguments.of(false, false),
                Arguments.of(List.of(), true),
                Arguments.of("n is version('4', '>') and lst | length == 0", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionsFollowAnsible(Object when, boolean expected) {
        Vars v = vars("n", 5, "s", "false", "expr_str", "n > 3", "e", "", "lst", List.of());
        assertThat(templar.condition(when, v, WHERE)).isEqualTo(expected);
    }

    @Test
    void anUndefinedVariableInAConditionIsAnError() {
        assertThatThrownBy(() -> templar.condition("pg_versoin == '15'", vars("pg_version", "15"), WHERE))
                .isInstanceOf(TemplateError.class)
                .hasMessage("undefined variable 'pg_versoin'; did you mean 'pg_version'?")
                .extracting(e -> ((TemplateError) e).position()).isEqualTo(WHERE);
    }

    @Test
    void evaluateReturnsNativeValues() {
        Vars v = vars("groups", Map.of("db", List.of("a", "b")), "item", "{{ 'db' }}");
        assertThat(templar.evaluate("groups[item]", v, WHERE)).isEqualTo(List.of("a", "b"));
        assertThat(templar.evaluate("groups.db | length", v, WHERE)).isEqualTo(2L);
        assertThat(templar.evaluate("{'a': 1}.a", v, WHERE)).isEqualTo(1L);
        assertThat(templar.evaluate("{{ groups.db | first }}", v, WHERE)).isEqualTo("a");
        assertThatThrownBy(() -> templar.evaluate("groups.db |", v, WHERE))
                .isInstanceOf(TemplateError.class)
                .hasMessage("syntax error: expected a filter or test name, found end of expression");
    }

    // ------------------------------------------------------------------ lazy templating

    @Test
    void variablesAreTemplatedWhenReadRecursivelyAndInsideStructures() {
        Vars v = vars("port", 5432, "dsn", "host=db port={{ port }}", "cfg", Map.of("url", "{{ dsn }}/x"),
                "ports", List.of("{{ port }}", "{{ port + 1 }}"));
        assertThat(templar.template("{{ cfg.url }}", v, WHERE)).isEqualTo("host=db port=5432/x");
        assertThat(templar.template("{{ ports }}", v, WHERE)).isEqualTo(List.of(5432, 5433L));
        assertThat(templar.template("{{ ports | sum }}", v, WHERE)).isEqualTo(10865L);
    }

    @Test
    void cyclesAreReportedWithTheChain() {
        Vars v = vars("a", "{{ b }}", "b", "x{{ c }}", "c", "{{ a | default('') }}");
        assertThatThrownBy(() -> templar.template("{{ a }}", v, WHERE))
                .isInstanceOf(TemplateError.class)
                .hasMessage("recursive loop detected in template: a -> b -> c -> a")
                .extracting(e -> ((TemplateError) e).position()).isEqualTo(WHERE);
        Vars self = vars("x", "{{ x + 1 }}");
        assertThatThrownBy(() -> templar.template("{{ x }}", self, WHERE))
                .hasMessage("recursive loop detected in template: x -> x");
    }

    @Test
    void anErrorInsideAVariableSaysWhichVariable() {
        Vars v = vars("conf_dir", "{{ pg_home }}/conf");
        assertThatThrownBy(() -> templar.template("{{ conf_dir }}", v, WHERE))
                .hasMessage("undefined variable 'pg_home' (while templating variable 'conf_dir')");
    }

    /** Counts every call into Vars: per-render work must depend on what the template uses, not on how much exists. */
    private static final class CountingVars implements Vars {
        final Map<String, Object> map = new HashMap<>();
        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger nameScans = new AtomicInteger();

        CountingVars(int extra) {
            map.put("base", "/opt");
            map.put("home", "{{ base }}/pg");
            map.put("bin", "{{ home }}/bin");
            for (int i = 0; i < extra; i++) map.put("unrelated_" + i, "{{ base }}/" + i);
        }

        @Override
        public Object lookup(String name) {
            lookups.incrementAndGet();
            return map.containsKey(name) ? map.get(name) : MISSING;
        }

        @Override
        public Set<String> names() {
            nameScans.incrementAndGet();
            return map.keySet();
        }
    }

    @Test
    void workPerRenderDoesNotGrowWithTheNumberOfVariables() {
        String tpl = "{{ bin }} {{ home }} {{ bin }} {{ missing | default('d') }} {{ other is defined }}";
        int[] counts = new int[2];
        int[] sizes = {10, 100_000};
        for (int i = 0; i < 2; i++) {
            CountingVars v = new CountingVars(sizes[i]);
            assertThat(templar.template(tpl, v, WHERE)).isEqualTo("/opt/pg/bin /opt/pg /opt/pg/bin d False");
            assertThat(v.nameScans.get()).as("names() is only for error hints").isZero();
            counts[i] = v.lookups.get();
        }
        // bin, home, base once each (memoised), missing, other: the same 5 lookups whatever the size.
        assertThat(counts[0]).isEqualTo(5);
        assertThat(counts[1]).isEqualTo(counts[0]);
    }

    // ------------------------------------------------------------------ strict errors

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("{{ nmae }}", "undefined variable 'nmae'; did you mean 'name'?"),
                Arguments.of("{{ result.stdotu }}", "'result' has no attribute 'stdotu'; did you mean 'stdout'?"),
                Arguments.of("{{ result.rc.x }}", "'result.rc' has no attribute 'x'"),
                Arguments.of("{{ name | to_jsn }}", "unknown filter 'to_jsn'; did you mean 'to_json'?"),
                Arguments.of("{{ name | community.general.json_query('x') }}", "unknown filter 'community.general.json_query'"),
                Arguments.of("{{ name is defind }}", "unknown test 'defind'; did you mean 'defined'?"),
                Arguments.of("{{ lookp('env', 'HOME') }}", "unknown function 'lookp'; did you mean 'lookup'?"),
                Arguments.of("{{ lookup('enb', 'HOME') }}", "unknown lookup 'enb'; did you mean 'env'?"),
                Arguments.of("{{ nope | mandatory }}", "Mandatory variable 'nope'  not defined."),
                Arguments.of("{{ nope | mandatory('set nope in group_vars') }}", "set nope in group_vars"),
                Arguments.of("{{ name + 1 }}", "unsupported operand type(s) for +: 'str' and 'int'"),
                Arguments.of("{{ name ", "syntax error: unexpected end of template, expected '}}'"),
                Arguments.of("{{ name | }}", "syntax error: expected a filter or test name, found '}}'"),
                Arguments.of("{% if name %}x", "unexpected end of template; expected '{% elif %}' or '{% else %}' or '{% endif %}'"),
                Arguments.of("{% iff x %}{% endif %}", "unknown statement '{% iff %}'; did you mean 'if'?"),
                Arguments.of("{{ '1.x' is version('1.0', '>', strict=true) }}", "Version comparison failed: invalid version number '1.x'"),
                Arguments.of("{{ result | dict2items | first | failed }}", "unknown filter 'failed'"),
                Arguments.of("{{ name is failed }}", "The 'failed' test expects a dictionary"),
                Arguments.of("{{ [result] | map(attribute='stdot') | list }}", "'item' has no attribute 'stdot'; did you mean 'stdout'?"),
                Arguments.of("{{ name | indent(none) }}", "expected a number, found None (NoneType)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void strictErrorsArePositionedOneLineAndHelpful(String template, String message) {
        Vars v = vars("name", "pg", "result", Map.of("stdout", "ok", "rc", 0));
        assertThatThrownBy(() -> templar.template(template, v, WHERE))
                .isInstanceOf(TemplateError.class)
                .hasMessage(message)
                .satisfies(e -> {
                    assertThat(((TemplateError) e).position()).isEqualTo(WHERE);
                    assertThat(((TemplateError) e).render()).isEqualTo("site.yml:12:9: " + message);
                });
    }

    @Test
    void undefinedIsToleratedWhereAnsibleToleratesIt() {
        Vars v = vars("hostvars", Map.of("db1", templar.lazyView(vars("x", 1), WHERE)), "h", "db1");
        assertThat(t("{{ x is defined }} {{ x is undefined }} {{ x | default(1) }} {{ x | d(2, true) }} {{ x.y | default(3) }}"))
                .isEqualTo("False True 1 2 3");
        assertThat(templar.template("{{ hostvars[h].missing | default('none') }} {{ hostvars[h].x }}", v, WHERE))
                .isEqualTo("none 1");
        assertThat(templar.template("{{ hostvars.db2 is defined }}", v, WHERE)).isEqualTo(false);
    }

    // ------------------------------------------------------------------ lazy view (hostvars)

    @Test
    void lazyViewTemplatesOnAccessOnly() {
        CountingVars host = new CountingVars(1000);
        Map<String, Object> view = templar.lazyView(host, WHERE);
        assertThat(host.lookups.get()).isZero();
        assertThat(view.get("bin")).isEqualTo("/opt/pg/bin");
        assertThat(view.containsKey("home")).isTrue();
        assertThat(view.containsKey("nope")).isFalse();
        assertThat(view.get("nope")).isNull();
        assertThat(host.lookups.get()).isEqualTo(6); // bin, home, base; containsKey home; containsKey/get nope
        assertThat(view.size()).isEqualTo(1003);
    }

    @Test
    void hostvarsBuiltFromLazyViewsWorkWithExtractAndDefault() {
        Map<String, Object> db1 = new LinkedHashMap<>();
        db1.put("ansible_host", "10.0.0.{{ octet }}");
        db1.put("octet", 11);
        Map<String, Object> db2 = new LinkedHashMap<>();
        db2.put("ansible_host", "10.0.0.12");
        db2.put("pg_port", "{{ 5432 + 1 }}");
        Map<String, Object> hosts = new LinkedHashMap<>();
        hosts.put("db1", templar.lazyView(Vars.of(db1), WHERE));
        hosts.put("db2", templar.lazyView(Vars.of(db2), WHERE));
        Vars v = vars("hostvars", templar.lazyView(Vars.of(hosts), WHERE), "groups", Map.of("db", List.of("db1", "db2")));
        assertThat(templar.template("{{ groups.db | map('extract', hostvars, 'ansible_host') | join(',') }}", v, WHERE))
                .isEqualTo("10.0.0.11,10.0.0.12");
        assertThat(templar.template("{{ groups.db | map('extract', hostvars) | map(attribute='pg_port', default=5432) | list }}", v, WHERE))
                .isEqualTo(List.of(5432L, 5433L));
        assertThat(templar.evaluate("hostvars['db2'].pg_port", v, WHERE)).isEqualTo(5433L);
        assertThat(templar.condition("'db3' not in hostvars and hostvars.db1.octet == 11", v, WHERE)).isTrue();
    }

    @Test
    void omitIsAVariableWithTheOmitValue() {
        assertThat(t("{{ mode | default(omit) }}")).isEqualTo(Templar.OMIT);
        assertThat(Templar.OMIT).startsWith("__omit_place_holder__");
    }

    @Test
    void aTemplarIsSafeToShareBetweenThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                for (int k = 0; k < 200; k++) results.add(templar.template("{{ a }}-{{ b | default(a) }}", vars("a", "{{ " + n + " }}"), WHERE));
            }));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) th.join();
        assertThat(results).hasSize(1600);
        for (int i = 0; i < 8; i++) assertThat(results).contains(i + "-" + i);
    }
    /** Found by ParserFuzzTest: an exponent past 2^31 threw ArithmeticException; a huge result would hang. */
    @Test
    void powerStaysBounded() {
        Vars v = Vars.of(java.util.Map.of());
        assertThat(templar.evaluate("2 ** 10", v, WHERE)).isEqualTo(1024L);
        assertThat(templar.evaluate("(3 ** 100) % 1000", v, WHERE)).isEqualTo(1L);
        assertThat(templar.evaluate("1 ** 999999999999999999998", v, WHERE)).isEqualTo(1L);
        assertThat(templar.evaluate("(-1) ** 999999999999999999999", v, WHERE)).isEqualTo(-1L);
        assertThat(templar.evaluate("0 ** 0", v, WHERE)).isEqualTo(1L);
        assertThatThrownBy(() -> templar.evaluate("2 ** 999999999999999999998", v, WHERE))
                .isInstanceOf(TemplateError.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> templar.evaluate("10 ** 10000000", v, WHERE))
                .isInstanceOf(TemplateError.class).hasMessageContaining("too large");
    }
}
