package dev.drover.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of JSON Schema (2020-12) that docs/report-schema.json uses: $ref to #/$defs, type, const, enum, required,
 * properties, additionalProperties: false, items, anyOf, allOf, minimum, pattern. A keyword it does not know fails
 * the check, so the schema cannot silently use more than is verified here.
 */
final class JsonSchemaCheck {
    private static final Set<String> KNOWN = Set.of("$schema", "$id", "$ref", "$defs", "title", "description", "type",
            "const", "enum", "required", "properties", "additionalProperties", "items", "anyOf", "allOf", "minimum", "pattern");

    private final JsonNode root;

    JsonSchemaCheck(JsonNode root) {
        this.root = root;
    }

    /** Every violation, as "path: problem"; empty when the document is valid. */
    List<String> validate(JsonNode doc) {
        List<String> errors = new ArrayList<>();
        check(root, doc, "$", errors);
        return errors;
    }

    private void check(JsonNode schema, JsonNode v, String path, List<String> errors) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) throw new IllegalArgumentException("schema keyword not supported by the check: " + k);
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) throw new IllegalArgumentException("unsupported $ref " + ref);
            JsonNode target = root.get("$defs").get(ref.substring("#/$defs/".length()));
            if (target == null) throw new IllegalArgumentException("unknown $ref " + ref);
            check(target, v, path, errors);
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            errors.add(path + ": expected type " + schema.get("type") + ", found " + v.getNodeType() + " " + v);
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(v)) errors.add(path + ": expected " + schema.get("const") + ", found " + v);
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.equals(v);
            if (!found) errors.add(path + ": " + v + " is not one of " + schema.get("enum"));
        }
        if (schema.has("minimum") && v.isNumber() && v.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(path + ": " + v + " is below " + schema.get("minimum"));
        }
        if (schema.has("pattern") && v.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
            errors.add(path + ": '" + v.asText() + "' does not match " + schema.get("pattern"));
        }
        if (schema.has("allOf")) for (JsonNode s : schema.get("allOf")) check(s, v, path, errors);
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode s : schema.get("anyOf")) {
                List<String> sub = new ArrayList<>();
                check(s, v, path, sub);
                any |= sub.isEmpty();
            }
            if (!any) errors.add(path + ": matches none of anyOf: " + v);
        }
        if (v.isObject()) {
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) if (!v.has(r.asText())) errors.add(path + ": missing '" + r.asText() + "'");
            }
            JsonNode props = schema.get("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props != null && props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), path + "." + f.getKey(), errors);
                } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true)) {
                    errors.add(path + ": unexpected property '" + f.getKey() + "'");
                }
            }
        }
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) check(schema.get("items"), v.get(i), path + "[" + i + "]", errors);
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
