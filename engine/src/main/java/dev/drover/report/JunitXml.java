package dev.drover.report;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The run report as JUnit XML, the format Jenkins and GitLab read: one {@code testsuite} per play, one
 * {@code testcase} per task and host ({@code classname} the host, {@code name} the task and its file:line). A failed
 * task is a {@code failure}, an unreachable host an {@code error}, a skipped task {@code skipped}; ignored failures
 * pass, as they do for the run.
 */
final class JunitXml {
    private JunitXml() {}

    @SuppressWarnings("unchecked")
    static byte[] render(Map<String, Object> report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            List<Map<String, Object>> plays = (List<Map<String, Object>>) report.get("plays");
            Map<String, Object> run = (Map<String, Object>) report.get("run");
            int[] total = new int[4];
            for (Map<String, Object> play : plays) add(total, count(play));
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "drover " + String.join(" ", (List<String>) run.getOrDefault("playbooks", List.of())));
            attributes(w, total, millis(run.get("duration_ms")));
            for (Map<String, Object> play : plays) suite(w, play, run);
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void suite(XMLStreamWriter w, Map<String, Object> play, Map<String, Object> run) throws XMLStreamException {
        long suiteMillis = millis(play.get("duration_ms")); // wall time: hosts run in parallel, their times overlap
        w.writeCharacters("\n  ");
        w.writeStartElement("testsuite");
        String name = String.valueOf(play.get("name"));
        w.writeAttribute("name", name.isEmpty() ? "hosts: " + play.get("pattern") : name);
        attributes(w, count(play), suiteMillis);
        if (play.get("start") != null) w.writeAttribute("timestamp", String.valueOf(play.get("start")));
        for (Map<String, Object> task : (List<Map<String, Object>>) play.get("tasks")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) task.get("results")) testcase(w, task, r);
        }
        if (play.get("stopped") != null) {
            w.writeCharacters("\n    ");
            w.writeStartElement("system-out");
            w.writeCharacters(clean("play stopped: " + play.get("stopped")));
            w.writeEndElement();
        }
        w.writeCharacters("\n  ");
        w.writeEndElement();
    }

    private static void testcase(XMLStreamWriter w, Map<String, Object> task, Map<String, Object> r) throws XMLStreamException {
        w.writeCharacters("\n    ");
        w.writeStartElement("testcase");
        w.writeAttribute("classname", String.valueOf(r.get("host")));
        String pos = task.get("position") == null ? "" : " (" + task.get("position") + ")";
        w.writeAttribute("name", clean(task.get("name") + pos));
        w.writeAttribute("time", seconds(millis(r.get("duration_ms"))));
        String status = String.valueOf(r.get("status"));
        boolean ignored = Boolean.TRUE.equals(r.get("ignored"));
        String msg = r.get("msg") == null ? "" : String.valueOf(r.get("msg"));
        if (r.get("outcome") instanceof Map<?, ?> o && o.get("message") != null && !ignored) {
            msg = String.valueOf(o.get("message"));
        }
        if ((status.equals("failed") || status.equals("unreachable")) && !ignored) {
            w.writeStartElement(status.equals("failed") ? "failure" : "error");
            w.writeAttribute("message", clean(msg));
            w.writeAttribute("type", r.get("outcome") instanceof Map<?, ?> o && o.get("status") != null
                    ? "outcome " + o.get("status") : status);
            w.writeCharacters(clean(details(task, r)));
            w.writeEndElement();
        } else if (status.equals("skipped")) {
            w.writeEmptyElement("skipped");
            w.writeAttribute("message", clean(msg));
        } else if (r.get("stdout") != null || ignored) {
            w.writeStartElement("system-out");
            w.writeCharacters(clean((ignored ? "failed, ignored (ignore_errors): " + msg + "\n" : "")
                    + (r.get("stdout") == null ? "" : r.get("stdout"))));
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    private static String details(Map<String, Object> task, Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        if (task.get("position") != null) b.append("at ").append(task.get("position")).append('\n');
        if (r.get("rc") != null) b.append("rc: ").append(r.get("rc")).append('\n');
        if (r.get("msg") != null) b.append("msg: ").append(r.get("msg")).append('\n');
        if (r.get("stdout") != null) b.append("stdout:\n").append(r.get("stdout")).append('\n');
        if (r.get("stderr") != null) b.append("stderr:\n").append(r.get("stderr")).append('\n');
        return b.toString();
    }

    /** tests, failures, errors, skipped. */
    @SuppressWarnings("unchecked")
    private static int[] count(Map<String, Object> play) {
        int[] c = new int[4];
        for (Map<String, Object> task : (List<Map<String, Object>>) play.get("tasks")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) task.get("results")) {
                c[0]++;
                boolean ignored = Boolean.TRUE.equals(r.get("ignored"));
                switch (String.valueOf(r.get("status"))) {
                    case "failed" -> c[1] += ignored ? 0 : 1;
                    case "unreachable" -> c[2] += ignored ? 0 : 1;
                    case "skipped" -> c[3]++;
                    default -> { }
                }
            }
        }
        return c;
    }

    private static void add(int[] total, int[] c) {
        for (int i = 0; i < total.length; i++) total[i] += c[i];
    }

    private static void attributes(XMLStreamWriter w, int[] c, long millis) throws XMLStreamException {
        w.writeAttribute("tests", String.valueOf(c[0]));
        w.writeAttribute("failures", String.valueOf(c[1]));
        w.writeAttribute("errors", String.valueOf(c[2]));
        w.writeAttribute("skipped", String.valueOf(c[3]));
        w.writeAttribute("time", seconds(millis));
    }

    private static long millis(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** XML 1.0 cannot carry most control characters (a binary byte in stdout): they become U+FFFD. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || c >= 0x10000;
            b.appendCodePoint(ok ? c : 0xFFFD);
        });
        return b.toString();
    }
}
