package dev.drover.agent;

import dev.drover.agent.protocol.ErrorKind;
import dev.drover.agent.protocol.Payload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** wait_for: polls a port, a path, or a regex in a file until the condition holds or the timeout passes. */
final class WaitForHandler {
    Map<String, Object> waitFor(Map<String, Object> p) throws RequestFailure, InterruptedException {
        String what = Payload.requireStr(p, "what");
        long timeoutMs = Payload.lng(p, "timeoutMs", 300_000);
        long sleepMs = Math.max(10, Payload.lng(p, "sleepMs", 1000));
        Condition cond = condition(what, p);
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000;
        while (true) {
            String match = cond.check();
            if (match != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("elapsedMs", (System.nanoTime() - start) / 1_000_000);
                r.put("match", match.isEmpty() ? null : match);
                return r;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RequestFailure(ErrorKind.TIMEOUT, "timeout after " + timeoutMs / 1000.0 + "s when waiting for " + cond);
            }
            Thread.sleep(Math.min(sleepMs, left / 1_000_000 + 1));
        }
    }

    /** Returns null while unmet, "" when met without a match text, else the matched text. */
    private interface Condition {
        String check();
    }

    private static Condition condition(String what, Map<String, Object> p) throws RequestFailure {
        switch (what) {
            case "port": {
                String host = Payload.str(p, "host") == null ? "127.0.0.1" : Payload.str(p, "host");
                int port = (int) Payload.lng(p, "port", -1);
                if (port < 1 || port > 65535) throw new RequestFailure(ErrorKind.BAD_REQUEST, "port must be 1-65535, got " + port);
                boolean open = !"stopped".equals(Payload.str(p, "state"));
                return new Condition() {
                    @Override
                    public String check() {
                        return isOpen(host, port) == open ? "" : null;
                    }

                    @Override
                    public String toString() {
                        return "port " + port + " on " + host + " to be " + (open ? "open" : "closed");
                    }
                };
            }
            case "path": {
                Path path = Paths.get(Payload.requireStr(p, "path"));
                boolean present = !"absent".equals(Payload.str(p, "state"));
                return new Condition() {
                    @Override
                    public String check() {
                        return Files.exists(path) == present ? "" : null;
                    }

                    @Override
                    public String toString() {
                        return path + " to be " + (present ? "present" : "absent");
                    }
                };
            }
            case "regex": {
                Path path = Paths.get(Payload.requireStr(p, "path"));
                String regex = Payload.requireStr(p, "regex");
                Pattern pattern;
                try {
                    pattern = Pattern.compile(regex, Pattern.MULTILINE);
                } catch (PatternSyntaxException e) {
                    throw new RequestFailure(ErrorKind.BAD_REQUEST, "bad regex '" + regex + "': " + e.getDescription());
                }
                return new Condition() {
                    @Override
                    public String check() {
                        try {
                            Matcher m = pattern.matcher(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
                            return m.find() ? m.group() : null;
                        } catch (IOException e) {
                            return null;
                        }
                    }

                    @Override
                    public String toString() {
                        return "'" + regex + "' in " + path;
                    }
                };
            }
            default:
                throw new RequestFailure(ErrorKind.BAD_REQUEST, "waitfor: 'what' must be port, path or regex, got '" + what + "'");
        }
    }

    private static boolean isOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
