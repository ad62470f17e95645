package dev.drover.template.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python datetime/timedelta for to_datetime, strftime and now(): enough for "how old is this backup" checks. */
final class PyTime {
    private PyTime() {}

    record DateTime(LocalDateTime value) {
        @Override
        public String toString() {
            String s = value.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT));
            int micros = value.getNano() / 1000;
            return micros == 0 ? s : s + String.format(".%06d", micros);
        }
    }

    record Delta(Duration value) {
        long days() {
            return Math.floorDiv(value.getSeconds(), 86400);
        }

        long seconds() {
            return Math.floorMod(value.getSeconds(), 86400);
        }

        /** Python: "2 days, 3:04:05", "-1 day, 23:59:59", "0:00:01.500000". */
        @Override
        public String toString() {
            long d = days(), s = seconds();
            String hms = String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
            int micros = value.getNano() / 1000;
            if (micros != 0) hms += String.format(".%06d", micros);
            return d == 0 ? hms : d + (Math.abs(d) == 1 ? " day, " : " days, ") + hms;
        }
    }

    /** Python strftime/strptime directives as a java.time pattern. */
    static DateTimeFormatter formatter(String py) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c != '%' || i + 1 >= py.length()) {
                literal.append(c);
                continue;
            }
            char d = py.charAt(++i);
            String p = switch (d) {
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'm' -> "MM";
                case 'd' -> "dd";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'f' -> "SSSSSS";
                case 'p' -> "a";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'j' -> "DDD";
                case 'z' -> "xx";
                case 'Z' -> "zzz";
                case '%' -> null;
                default -> throw new EvalException("unsupported date format directive '%" + d + "'");
            };
            if (p == null) {
                literal.append('%');
                continue;
            }
            flush(sb, literal);
            sb.append(p);
        }
        flush(sb, literal);
        // strptime fills what the format lacks (time of day 00:00:00, date 1900-01-01); java.time would refuse.
        java.time.format.DateTimeFormatterBuilder b = new java.time.format.DateTimeFormatterBuilder().appendPattern(sb.toString());
        if (!py.contains("%H") && !py.contains("%I")) b.parseDefaulting(java.time.temporal.ChronoField.HOUR_OF_DAY, 0);
        if (!py.contains("%M")) b.parseDefaulting(java.time.temporal.ChronoField.MINUTE_OF_HOUR, 0);
        if (!py.contains("%S")) b.parseDefaulting(java.time.temporal.ChronoField.SECOND_OF_MINUTE, 0);
        if (!py.contains("%Y") && !py.contains("%y")) b.parseDefaulting(java.time.temporal.ChronoField.YEAR_OF_ERA, 1900);
        if (!py.contains("%m") && !py.contains("%b") && !py.contains("%B") && !py.contains("%j")) b.parseDefaulting(java.time.temporal.ChronoField.MONTH_OF_YEAR, 1);
        if (!py.contains("%d") && !py.contains("%j")) b.parseDefaulting(java.time.temporal.ChronoField.DAY_OF_MONTH, 1);
        return b.toFormatter(Locale.ROOT);
    }

    private static void flush(StringBuilder sb, StringBuilder literal) {
        if (literal.length() > 0) {
            sb.append('\'').append(literal.toString().replace("'", "''")).append('\'');
            literal.setLength(0);
        }
    }

    static DateTime parse(String s, String format) {
        try {
            return new DateTime(LocalDateTime.parse(s, formatter(format)));
        } catch (DateTimeParseException e) {
            throw new EvalException("time data " + Py.repr(s) + " does not match format " + Py.repr(format));
        }
    }

    /** The strftime filter: format a Unix time (default now) in local time or UTC. */
    static String strftime(String format, Object second, boolean utc) {
        Instant when = second == null ? Instant.now() : Instant.ofEpochMilli((long) (Py.toDouble(Filters.toFloat(second, 0.0)) * 1000));
        ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
        return formatter(format).format(when.atZone(zone));
    }

    static Object now(List<Object> args, Map<String, Object> kw) {
        Args a = new Args(args, kw, "now()");
        LocalDateTime t = a.bool(0, "utc", false) ? LocalDateTime.now(ZoneOffset.UTC) : LocalDateTime.now();
        String fmt = a.str(1, "fmt", null);
        return fmt == null ? new DateTime(t) : formatter(fmt).format(t);
    }

    static Object attr(Object obj, String name) {
        if (obj instanceof DateTime dt) {
            LocalDateTime v = dt.value();
            return switch (name) {
                case "year" -> (long) v.getYear();
                case "month" -> (long) v.getMonthValue();
                case "day" -> (long) v.getDayOfMonth();
                case "hour" -> (long) v.getHour();
                case "minute" -> (long) v.getMinute();
                case "second" -> (long) v.getSecond();
                case "microsecond" -> (long) v.getNano() / 1000;
                case "strftime" -> (Py.Callable) (a, kw) -> formatter(new Args(a, kw, "strftime()").str(0, null, "")).format(v);
                case "timestamp" -> (Py.Callable) (a, kw) -> v.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() / 1000.0;
                case "isoformat" -> (Py.Callable) (a, kw) -> dt.toString().replace(' ', 'T');
                default -> null;
            };
        }
        if (obj instanceof Delta d) {
            return switch (name) {
                case "days" -> d.days();
                case "seconds" -> d.seconds();
                case "microseconds" -> (long) d.value().getNano() / 1000;
                case "total_seconds" -> (Py.Callable) (a, kw) -> d.value().toNanos() / 1e9;
                default -> null;
            };
        }
        return null;
    }

    /** datetime - datetime, datetime ± timedelta, timedelta ± timedelta; null when not a date operation. */
    static Object binary(String op, Object l, Object r) {
        if (l instanceof DateTime a && r instanceof DateTime b && op.equals("-")) return new Delta(Duration.between(b.value(), a.value()));
        if (l instanceof DateTime a && r instanceof Delta d) {
            if (op.equals("+")) return new DateTime(a.value().plus(d.value()));
            if (op.equals("-")) return new DateTime(a.value().minus(d.value()));
        }
        if (l instanceof Delta a && r instanceof Delta b) {
            if (op.equals("+")) return new Delta(a.value().plus(b.value()));
            if (op.equals("-")) return new Delta(a.value().minus(b.value()));
        }
        return null;
    }

    static Integer compare(Object a, Object b) {
        if (a instanceof DateTime x && b instanceof DateTime y) return x.value().compareTo(y.value());
        if (a instanceof Delta x && b instanceof Delta y) return x.value().compareTo(y.value());
        return null;
    }
}
