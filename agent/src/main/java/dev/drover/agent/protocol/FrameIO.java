package dev.drover.agent.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Frame layout on the wire (big-endian):
 * <pre>
 * int32 length   -- bytes that follow: 4 + 1 + payload length
 * int32 id
 * uint8 type
 * payload        -- a {@link Codec} map
 * </pre>
 * Before its first frame the agent writes {@link #MAGIC}; the engine skips anything before it, so a
 * login script that prints a banner on the channel cannot break the framing.
 */
public final class FrameIO {
    /** Written once by the agent at start; a NUL first so it cannot be part of a printable banner. */
    public static final byte[] MAGIC = "\0DROVER-AGENT-1\n".getBytes(StandardCharsets.US_ASCII);

    /** Files are moved whole inside one frame, so this also bounds what read/write can carry. */
    public static final int MAX_FRAME = 512 * 1024 * 1024;

    private FrameIO() {}

    /** Reads one frame; null on a clean end of stream between frames. */
    public static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        int length = (b0 << 24) | (readByte(in) << 16) | (readByte(in) << 8) | readByte(in);
        if (length < 5 || length > MAX_FRAME) {
            throw new ProtocolException("bad frame length " + length + " (corrupt stream or another program writing to it)");
        }
        byte[] body = new byte[length];
        readFully(in, body);
        int id = ((body[0] & 0xFF) << 24) | ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
        int type = body[4] & 0xFF;
        Object payload = Codec.decode(body, 5, length - 5);
        if (!(payload instanceof Map)) throw new ProtocolException("frame payload is not a map");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) payload;
        return new Frame(id, type, map);
    }

    /** Encodes a frame into one array so that a single locked write puts it on the stream whole. */
    public static byte[] encode(Frame f) {
        byte[] payload = Codec.encode(f.payload());
        int length = 5 + payload.length;
        if (length > MAX_FRAME) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the " + MAX_FRAME + "-byte frame limit");
        }
        byte[] out = new byte[4 + length];
        putInt(out, 0, length);
        putInt(out, 4, f.id());
        out[8] = (byte) f.type();
        System.arraycopy(payload, 0, out, 9, payload.length);
        return out;
    }

    /**
     * Skips input up to and including {@link #MAGIC}; returns what was skipped (a banner, or an error
     * printed by a shell that could not start java) so the caller can show it.
     */
    public static byte[] skipToMagic(InputStream in, int maxSkip) throws IOException {
        byte[] seen = new byte[Math.min(maxSkip, 64 * 1024) + MAGIC.length];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException(new String(seen, 0, n, StandardCharsets.UTF_8));
            if (n == seen.length) {
                throw new ProtocolException("no agent greeting within " + maxSkip + " bytes; output began: "
                        + new String(seen, 0, Math.min(n, 200), StandardCharsets.UTF_8));
            }
            seen[n++] = (byte) b;
            if (n >= MAGIC.length && Arrays.equals(seen, n - MAGIC.length, n, MAGIC, 0, MAGIC.length)) {
                return Arrays.copyOf(seen, n - MAGIC.length);
            }
        }
    }

    public static void write(OutputStream out, Frame f) throws IOException {
        out.write(encode(f));
        out.flush();
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("stream ended inside a frame header");
        return b;
    }

    private static void readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int r = in.read(buf, off, buf.length - off);
            if (r < 0) throw new EOFException("stream ended inside a frame (" + off + " of " + buf.length + " bytes)");
            off += r;
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
