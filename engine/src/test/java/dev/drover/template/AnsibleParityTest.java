package dev.drover.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.error.Position;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template in cases.txt rendered by Drover must give exactly what ansible-core 2.14 gave, or fail where
 * Ansible failed. Expectations: src/test/resources/dev/drover/template/ansible-expected.jsonl, recorded with
 * {@code cd engine/src/test/resources/dev/drover/template && python3 gen_ansible_cases.py}, which runs
 * {@code ansible-playbook} with one {@code debug: msg="@<template>"} task per case and the variables in
 * ansible-vars.json (the "@" keeps Ansible from turning the text back into a list or number).
 */
class AnsibleParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Position WHERE = new Position("play.yml", 3, 7);

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        String text = resource("ansible-expected.jsonl");
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            List<?> row = JSON.readValue(line, List.class);
            out.add(Arguments.of(row.get(0), row.get(1)));
        }
        return out.stream();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AnsibleParityTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static Vars vars() throws IOException {
        return Vars.of(JSON.readValue(resource("ansible-vars.json"), Map.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeAnsible(String template, String expected) throws IOException {
        Templar templar = new Templar(Path.of("."));
        if (expected == null) {
            assertThatThrownBy(() -> templar.template("@" + template, vars(), WHERE))
                    .isInstanceOf(TemplateError.class)
                    .satisfies(e -> assertThat(((TemplateError) e).position()).isEqualTo(WHERE));
        } else {
            assertThat(templar.template("@" + template, vars(), WHERE)).isEqualTo("@" + expected);
        }
    }
}
