package dev.drover.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void randomValuesRoundTrip() {
        Random rnd = new Random(20261123L);
        for (int i = 0; i < 5000; i++) {
            Object v = randomValue(rnd, 0);
            Object back = Codec.decode(Codec.encode(v));
            assertThat(normalize(back)).as("value #%d", i).isEqualTo(normalize(v));
        }
    }

    @Test
    void edgeNumbersAndStringsRoundTrip() {
        for (long l : new long[] {0, 1, -1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThat(Codec.decode(Codec.encode(l))).isEqualTo(l);
        }
        assertThat(Codec.decode(Codec.encode(7))).isEqualTo(7L);
        assertThat(Codec.decode(Codec.encode("é𝄞\u0000"))).isEqualTo("é𝄞\u0000");
        assertThat(Codec.decode(Codec.encode(""))).isEqualTo("");
        assertThat((byte[]) Codec.decode(Codec.encode(new byte[0]))).isEmpty();
    }

    @Test
    void smallValuesStayCompact() {
        assertThat(Codec.encode(5L)).hasSize(2);
        assertThat(Codec.encode(Boolean.TRUE)).hasSize(1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rc", 0L);
        assertThat(Codec.encode(m)).hasSize(1 + 1 + 1 + 2 + 2);
    }

    @Test
    void corruptInputIsRejectedWithAMessage() {
        assertThatThrownBy(() -> Codec.decode(new byte[] {42})).isInstanceOf(ProtocolException.class).hasMessageContaining("unknown value tag 42");
        assertThatThrownBy(() -> Codec.decode(new byte[] {(byte) Codec.STRING, 100, 'a'}))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Codec.decode(new byte[] {(byte) Codec.TRUE, 0})).isInstanceOf(ProtocolException.class).hasMessageContaining("trailing");
        byte[] deep = new byte[200];
        Arrays.fill(deep, (byte) Codec.LIST);
        assertThatThrownBy(() -> Codec.decode(deep)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Codec.encode(new Object())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot encode");
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[rnd.nextInt(40)];
            rnd.nextBytes(junk);
            try {
                Codec.decode(junk);
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void framesRoundTripInOrderAndEndCleanly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("Welcome to host\n".getBytes(StandardCharsets.UTF_8));
        out.write(FrameIO.MAGIC);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("path", "/etc/hosts");
        FrameIO.write(out, new Frame(1, MessageType.STAT, p));
        FrameIO.write(out, new Frame(-5, MessageType.RESULT, null));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(new String(FrameIO.skipToMagic(in, 1000), StandardCharsets.UTF_8)).isEqualTo("Welcome to host\n");
        Frame a = FrameIO.read(in);
        assertThat(a.id()).isEqualTo(1);
        assertThat(a.type()).isEqualTo(MessageType.STAT);
        assertThat(a.payload()).containsEntry("path", "/etc/hosts");
        Frame b = FrameIO.read(in);
        assertThat(b.id()).isEqualTo(-5);
        assertThat(b.payload()).isEmpty();
        assertThat(FrameIO.read(in)).isNull();
    }

    @Test
    void truncatedFrameIsAnEofNotACleanEnd() throws Exception {
        byte[] f = FrameIO.encode(new Frame(3, MessageType.PING, null));
        ByteArrayInputStream in = new ByteArrayInputStream(Arrays.copyOf(f, f.length - 1));
        assertThatThrownBy(() -> FrameIO.read(in)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> FrameIO.read(new ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("bad frame length");
    }

    private static Object randomValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0: return null;
            case 1: return rnd.nextBoolean();
            case 2: {
                switch (rnd.nextInt(3)) {
                    case 0: return (long) rnd.nextInt(200) - 100;
                    case 1: return rnd.nextLong();
                    default: return (long) rnd.nextInt();
                }
            }
            case 3: {
                StringBuilder sb = new StringBuilder();
                int n = rnd.nextInt(20);
                for (int i = 0; i < n; i++) sb.appendCodePoint(rnd.nextInt(4) == 0 ? 0x80 + rnd.nextInt(0x10000 - 0x80 - 0x800) : 0x20 + rnd.nextInt(90));
                return sb.toString().replaceAll("[\\uD800-\\uDFFF]", "x");
            }
            case 4:
            case 5: {
                byte[] b = new byte[rnd.nextInt(50)];
                rnd.nextBytes(b);
                return b;
            }
            case 6: {
                List<Object> l = new ArrayList<>();
                int n = rnd.nextInt(6);
                for (int i = 0; i < n; i++) l.add(randomValue(rnd, depth + 1));
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = rnd.nextInt(6);
                for (int i = 0; i < n; i++) m.put("k" + rnd.nextInt(1000), randomValue(rnd, depth + 1));
                return m;
            }
        }
    }

    /** byte[] compares by identity; turn it into a list so deep equality works. */
    private static Object normalize(Object v) {
        if (v instanceof byte[]) {
            List<Byte> l = new ArrayList<>();
            for (byte b : (byte[]) v) l.add(b);
            return "bytes" + l;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) l.add(normalize(o));
            return l;
        }
        if (v instanceof Map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) m.put(e.getKey(), normalize(e.getValue()));
            return m;
        }
        return v;
    }
}
