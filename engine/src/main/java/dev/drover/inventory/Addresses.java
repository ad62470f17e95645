package dev.drover.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible's {@code parse_address}: a host name, IPv4 or IPv6 address, possibly with ranges and a :port. */
final class Addresses {
    private static final String NUM_RANGE = "\\[[0-9]+:[0-9]+(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final String I4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUM_RANGE + ")";
    private static final Pattern IPV4 = Pattern.compile("^(?:" + I4 + "\\.){3}" + I4 + "$");
    private static final String I6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final Pattern IPV6 = Pattern.compile("^(?:"
            + "(?:" + I6 + ":){7}" + I6 + "|(?:" + I6 + ":){1,6}:|(?:" + I6 + ":)(?::" + I6 + "){1,6}"
            + "|(?:" + I6 + ":){2}(?::" + I6 + "){1,5}|(?:" + I6 + ":){3}(?::" + I6 + "){1,4}"
            + "|(?:" + I6 + ":){4}(?::" + I6 + "){1,3}|(?:" + I6 + ":){5}(?::" + I6 + "){1,2}"
            + "|(?:" + I6 + ":){6}(?::" + I6 + ")|:(?::" + I6 + "){1,6}|" + I6 + "?::"
            + "|(?:0:){6}(?:" + I6 + "\\.){3}" + I6 + "|::(?:ffff:)?(?:" + I6 + "\\.){3}" + I6
            + "|(?:0:){5}ffff:(?:" + I6 + "\\.){3}" + I6 + ")$", Pattern.CASE_INSENSITIVE);
    private static final Pattern BRACKETED_PORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");

    private Addresses() {}

    /** A parsed address; port is null when none was written. */
    record Address(String host, Integer port) {}

    /** The address, or null when the text is not a recognisable host (then Ansible uses it verbatim). */
    static Address parse(String text) {
        String host = text;
        Integer port = null;
        Matcher m = BRACKETED_PORT.matcher(text);
        if (!m.matches()) m = HOST_PORT.matcher(text);
        if (m.matches()) {
            try {
                port = Integer.valueOf(m.group(2));
            } catch (NumberFormatException e) {
                return null;
            }
            host = m.group(1);
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches() || HOSTNAME.matcher(host).matches()) {
            return new Address(host, port);
        }
        return null;
    }
}
