package dev.drover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Host ranges, Python literals, shlex splitting and Python-style output (values checked with python3). */
class LexicalTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "db[01:03]              | db01 db02 db03",
            "db[1:3]                | db1 db2 db3",
            "db[01:10:3]            | db01 db04 db07 db10",
            "[a:c].example.com      | a.example.com b.example.com c.example.com",
            "x[a:e:2]               | xa xc xe",
            "n[:2]                  | n0 n1 n2",
            "r[1:2]-[a:b]           | r1-a r1-b r2-a r2-b",
            "plain                  | plain",
            "w[008:010]             | w008 w009 w010",
    })
    void rangesExpandLikeAnsible(String pattern, String expected) {
        assertThat(HostRange.expand(pattern)).containsExactly(expected.split(" "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"db[1]", "db[1:]", "db[01:5]", "db[5:1]", "db[a:3]", "db[1:3:x]", "db[1:3"})
    void badRangesAreRefused(String pattern) {
        assertThatThrownBy(() -> HostRange.expand(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> literals() {
        return Stream.of(
                Arguments.of("1", 1), Arguments.of("-7", -7), Arguments.of("0x1F", 31), Arguments.of("0o17", 15),
                Arguments.of("0b101", 5), Arguments.of("1_000", 1000), Arguments.of("1.5", 1.5),
                Arguments.of("1e3", 1000.0), Arguments.of(".5", 0.5), Arguments.of("True", true),
                Arguments.of("False", false), Arguments.of("None", null), Arguments.of("'a b'", "a b"),
                Arguments.of("\"q\\\"x\"", "q\"x"), Arguments.of("'a' 'b'", "ab"), Arguments.of("r'\\n'", "\\n"),
                Arguments.of("'\\n'", "\n"), Arguments.of("[1, 'x', [2]]", List.of(1, "x", List.of(2))),
                Arguments.of("{'k': 1, 'l': [True]}", Map.of("k", 1, "l", List.of(true))),
                Arguments.of("(5)", 5), Arguments.of("99999999999", 99999999999L),
                Arguments.of("123456789012345678901234567890", new BigInteger("123456789012345678901234567890")),
                // not literals: Python's ast.literal_eval fails, so Ansible keeps the text
                Arguments.of("yes", "yes"), Arguments.of("true", "true"), Arguments.of("01", "01"),
                Arguments.of("1.2.3", "1.2.3"), Arguments.of("{1, 2}", "{1, 2}"), Arguments.of("1j", "1j"),
                Arguments.of("a=b", "a=b"), Arguments.of("", ""), Arguments.of("'open", "'open"),
                Arguments.of("[1, 2", "[1, 2"), Arguments.of("1 2", "1 2"), Arguments.of("10.0.0.1x", "10.0.0.1x"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("literals")
    void literalEvalLikePython(String text, Object expected) {
        assertThat(PyLiteral.evalOrString(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "h a=1 b=2                | h,a=1,b=2",
            "h a=\"x y\" b='z w'      | h,a=x y,b=z w",
            "h a=1 # comment          | h,a=1",
            "h a=1#comment            | h,a=1",
            "h a=\"#not\"             | h,a=#not",
            "h a=x\\ y                | h,a=x y",
            "h a=\"q\\\"q\"           | h,a=q\"q",
    })
    void shlexSplitsLikePython(String line, String expected) {
        assertThat(PyLiteral.shlexSplit(line)).isEqualTo(Arrays.asList(expected.split(",")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "1.5         | 1.5", "1000.0 | 1000.0", "1e16 | 1e+16", "1.0E-5 | 1e-05", "0.0001 | 0.0001",
            "123456789.125 | 123456789.125", "-2.5 | -2.5", "1e22 | 1e+22", "0.1 | 0.1",
    })
    void floatsPrintLikePythonRepr(double value, String expected) {
        assertThat(PyFormat.floatRepr(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("reprs")
    void valuesPrintLikePythonRepr(Object value, String expected) {
        assertThat(PyFormat.repr(value)).isEqualTo(expected);
    }

    static Stream<Arguments> reprs() {
        return Stream.of(
                Arguments.of("it's", "\"it's\""), Arguments.of("a'b\"c", "'a\\'b\"c'"), Arguments.of("tab\t", "'tab\\t'"),
                Arguments.of(List.of(1, "x", true), "[1, 'x', True]"),
                Arguments.of(new PyTuple(List.of(1)), "(1,)"),
                Arguments.of(new java.util.LinkedHashMap<>(Map.of("k", List.of())), "{'k': []}"));
    }
}
