package io.metafed.coordinator.server.handler;

import io.metafed.model.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request's body where the network put it: the aggregated, pooled {@link ByteBuf} the pipeline received,
 * retained for the API call and released exactly once when the call returns by the {@link ApiHandler} (whichever
 * way it ends; a deferred answer does not keep the buffer while it waits). An update is hashed for its signature, checksummed and decoded straight from these buffers
 * ({@link #buffers()}), without the 75 KB heap copy per update a {@code byte[]} body cost; small bodies (enroll
 * JSON, secure-aggregation stages) are copied once by {@link #bytes()}.
 *
 * <p>Valid only during the API call that received it ({@link Api#handle} / {@link Api#handleAsync}, not the
 * future it returns): afterwards the buffer accessors throw {@link IllegalStateException}, so a use after release
 * fails loudly instead of reading a recycled buffer; a copy made by {@link #bytes()} during the call stays valid.
 */
public final class RequestBody {
    private final AtomicReference<ByteBuf> content;
    private final int length;
    private volatile byte[] copy; // bytes(), made at most once

    private RequestBody(ByteBuf content) {
        this.content = new AtomicReference<>(content);
        this.length = content.readableBytes();
    }

    /** Takes over one reference to {@code content}; {@link #release()} gives it back. */
    static RequestBody adopt(ByteBuf content) {
        return new RequestBody(Objects.requireNonNull(content, "content"));
    }

    /** A body over {@code bytes} (not copied), e.g. for tests or in-process callers; releasing it frees nothing. */
    public static RequestBody of(byte[] bytes) {
        return new RequestBody(Unpooled.wrappedBuffer(Objects.requireNonNull(bytes, "bytes")));
    }

    /** Number of bytes in the body. */
    public int length() {
        return length;
    }

    /** The body as a heap array (copied once, then shared): for small bodies that are parsed as a whole. */
    public byte[] bytes() {
        byte[] b = copy;
        if (b == null) {
            b = ByteBufUtil.getBytes(live());
            copy = b;
        }
        return b;
    }

    /**
     * Views of the body's bytes in order (one per component of the aggregated buffer), each from its position to
     * its limit; their contents are valid only until the body is released. Each call returns fresh views, so
     * callers may move their positions, but they must not write them: they share the network buffer's memory.
     * Not read-only views on purpose: a read-only heap buffer hides its array, and the JDK's SHA-256, CRC-32C and
     * float bulk reads then fall back to copying through a scratch array.
     */
    public ByteBuffer[] buffers() {
        ByteBuf b = live();
        return b.nioBuffers(b.readerIndex(), length);
    }

    /** The body as a {@link ByteBuf} view (its own indices, same memory), for random access to a few fields. */
    public ByteBuf view() {
        return live().duplicate();
    }

    /** Lower-case hex of SHA-256 of the body, digested from the network buffers (no copy of the body). */
    public String sha256Hex() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        for (ByteBuffer part : buffers()) {
            sha.update(part);
        }
        return Hex.of(sha.digest());
    }

    /** Whether the body's buffer was released. */
    public boolean released() {
        return content.get() == null;
    }

    /** Gives back the buffer; only the first call does anything, so every path may call it. */
    void release() {
        ByteBuf b = content.getAndSet(null);
        if (b != null) {
            b.release();
        }
    }

    private ByteBuf live() {
        ByteBuf b = content.get();
        if (b == null) {
            throw new IllegalStateException("request body used after its request was answered (buffer released)");
        }
        return b;
    }

    @Override
    public String toString() {
        return "RequestBody[" + length + " bytes" + (released() ? ", released" : "") + "]";
    }
}
