package dev.drover.text;

/** A JSON string literal as Python's json.dumps writes it: the one escaper of every JSON writer in Drover. */
public final class JsonStrings {
    private JsonStrings() {}

    /** Appends {@code s} quoted; with {@code asciiOnly} (json.dumps' ensure_ascii), non-ASCII as {@code \\uXXXX}. */
    public static void quote(StringBuilder sb, String s, boolean asciiOnly) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
