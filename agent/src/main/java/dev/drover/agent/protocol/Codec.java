package dev.drover.agent.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload encoding: a compact tagged binary form of the values both sides exchange. A JSON library
 * would add weight and start-up time to the agent; this covers exactly the shapes the protocol needs.
 *
 * <pre>
 * value  := NULL | FALSE | TRUE | LONG varint(zigzag) | STRING varint(len) utf8 | BYTES varint(len) raw
 *         | LIST varint(count) value* | MAP varint(count) (varint(len) utf8-key value)*
 * </pre>
 *
 * Integers of any width decode as {@link Long}; maps keep their order ({@link LinkedHashMap}).
 */
public final class Codec {
    static final int NULL = 0;
    static final int FALSE = 1;
    static final int TRUE = 2;
    static final int LONG = 3;
    static final int STRING = 4;
    static final int BYTES = 5;
    static final int LIST = 6;
    static final int MAP = 7;

    /** Guards against a corrupt stream asking for an absurd nesting depth (stack overflow). */
    private static final int MAX_DEPTH = 64;

    private Codec() {}

    public static byte[] encode(Object value) {
        Out out = new Out();
        write(out, value, 0);
        return out.toByteArray();
    }

    public static Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public static Object decode(byte[] data, int offset, int length) {
        In in = new In(data, offset, offset + length);
        Object v = read(in, 0);
        if (in.pos != in.end) throw new ProtocolException("trailing bytes after payload: " + (in.end - in.pos));
        return v;
    }

    private static void write(Out out, Object v, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("payload nested deeper than " + MAX_DEPTH);
        if (v == null) {
            out.write(NULL);
        } else if (v instanceof Boolean) {
            out.write((Boolean) v ? TRUE : FALSE);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.write(LONG);
            long l = ((Number) v).longValue();
            out.varint((l << 1) ^ (l >> 63));
        } else if (v instanceof String) {
            out.write(STRING);
            out.bytes(((String) v).getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof byte[]) {
            out.write(BYTES);
            out.bytes((byte[]) v);
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            out.write(LIST);
            out.varint(list.size());
            for (Object e : list) write(out, e, depth + 1);
        } else if (v instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) v;
            out.write(MAP);
            out.varint(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("map keys must be strings, got " + e.getKey());
                }
                out.bytes(((String) e.getKey()).getBytes(StandardCharsets.UTF_8));
                write(out, e.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass().getName());
        }
    }

    private static Object read(In in, int depth) {
        if (depth > MAX_DEPTH) throw new ProtocolException("payload nested deeper than " + MAX_DEPTH);
        int tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case LONG: {
                long z = in.varint();
                return (z >>> 1) ^ -(z & 1);
            }
            case STRING:
                return in.string();
            case BYTES:
                return in.bytes();
            case LIST: {
                int n = in.count();
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) list.add(read(in, depth + 1));
                return list;
            }
            case MAP: {
                int n = in.count();
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String k = in.string();
                    map.put(k, read(in, depth + 1));
                }
                return map;
            }
            default:
                throw new ProtocolException("unknown value tag " + tag + " at offset " + (in.pos - 1));
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(64);
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void bytes(byte[] b) {
            varint(b.length);
            write(b, 0, b.length);
        }
    }

    private static final class In {
        final byte[] data;
        int pos;
        final int end;

        In(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        int readByte() {
            if (pos >= end) throw new ProtocolException("payload ends early at offset " + pos);
            return data[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new ProtocolException("varint longer than 10 bytes at offset " + pos);
        }

        /** A length or element count; each element takes at least one byte, so it cannot exceed what remains. */
        int count() {
            long n = varint();
            if (n < 0 || n > end - pos) throw new ProtocolException("length " + n + " exceeds the payload");
            return (int) n;
        }

        byte[] bytes() {
            int n = count();
            byte[] b = new byte[n];
            System.arraycopy(data, pos, b, 0, n);
            pos += n;
            return b;
        }

        String string() {
            int n = count();
            String s = new String(data, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
