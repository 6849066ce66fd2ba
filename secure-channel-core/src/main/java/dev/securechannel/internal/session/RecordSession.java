package dev.securechannel.internal.session;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.crypto.Sha256;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The record layer of an established session over any transport (PROTOCOL.md section 4):
 * seals and opens frames, counts them and updates keys. Internal: applications use a
 * {@link SecureSession}, which runs one of these underneath.
 *
 * <p><b>Sending</b> is thread-safe: every send seals and hands the frame to the
 * {@link FrameSink} under one lock, so frames leave in sequence order and a sequence number
 * is never used twice, whatever thread calls. <b>Receiving</b> ({@link #open(byte[])}) is
 * called by the transport's single reader, in arrival order.
 *
 * <p>The first failure of any kind (a bad tag, a replay or gap, an unencrypted frame, a bad
 * tensor, a malformed frame) ends the session: nothing more is delivered and every later
 * send fails. A Shutdown ends it cleanly; a transport that closes without one is reported as
 * {@link FailureReason#TRUNCATED}, never as a clean close.
 *
 * <p><b>Key update</b> (PROTOCOL.md section 8.3), when the handshake negotiated it, is invisible
 * to the application: before a frame would pass the counter's last number, AES-256-GCM's 2^36
 * bytes or the configured {@link KeyUpdatePolicy} interval, the send path first sends a
 * KeyUpdate and continues under the next key; a received KeyUpdate switches the receiving key,
 * and one that asks for an update is answered with exactly one KeyUpdate 0x00 before any other
 * frame. Without key update, an AES-256-GCM session ends with Shutdown before its key's limit.
 */
public final class RecordSession implements AutoCloseable {

    /** Where a session is in its life. */
    public enum State {
        /** Frames flow both ways. */
        OPEN,
        /** This side sent Shutdown: nothing more may be sent. */
        SHUTDOWN_SENT,
        /** The peer sent Shutdown: the session ended cleanly. */
        SHUTDOWN_RECEIVED,
        /** A failure ended the session; see {@link #failureReason()}. */
        FAILED,
        /** Closed locally after a clean end. */
        CLOSED
    }

    /** Longest Error-frame reason kept, in characters. */
    static final int MAX_ERROR_REASON_CHARS = 256;
    private static final byte[] EMPTY = new byte[0];

    private final HandshakeResult handshake;
    private final SealingContext sealing;
    private final OpeningContext opening;
    private final FrameSink sink;
    private final SendTimer sendTimer;
    private final int maxPayloadLength;
    private final String displayId;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Object receiveLock = new Object();
    private final boolean keyUpdate;
    private final KeyUpdatePolicy keyUpdatePolicy;
    private final LongSupplier nanoClock;

    private volatile State state = State.OPEN;
    private volatile @Nullable FailureReason failureReason;
    private long framesSent;
    private long bytesSent;
    private long framesReceived;
    private long bytesReceived;
    /** When the current sending key was made, on {@link #nanoClock}. */
    private long sendingKeySince;
    /** Set when the peer's KeyUpdate asked for ours; cleared by the KeyUpdate 0x00 that answers it. */
    private volatile boolean keyUpdateOwed;
    private long keyUpdatesSent;
    private volatile long keyUpdatesReceived;

    /** A session from a completed handshake, sending through {@code sink}. */
    public RecordSession(HandshakeResult handshake, FrameSink sink) {
        this(handshake, sink, SendTimer.NONE);
    }

    /** A session from a completed handshake, sending through {@code sink} and telling {@code sendTimer} what each frame cost. */
    public RecordSession(HandshakeResult handshake, FrameSink sink, SendTimer sendTimer) {
        this(handshake, sink, sendTimer, System::nanoTime);
    }

    /** As {@link #RecordSession(HandshakeResult, FrameSink)}, with a clock for the key update interval (tests). */
    public RecordSession(HandshakeResult handshake, FrameSink sink, LongSupplier nanoClock) {
        this(handshake, sink, SendTimer.NONE, nanoClock);
    }

    private RecordSession(HandshakeResult handshake, FrameSink sink, SendTimer sendTimer, LongSupplier nanoClock) {
        this.sendTimer = sendTimer;
        this.handshake = handshake;
        this.keyUpdate = handshake.extensions().keyUpdate();
        this.keyUpdatePolicy = handshake.keyUpdatePolicy();
        this.nanoClock = nanoClock;
        this.sendingKeySince = nanoClock.getAsLong();
        this.sealing = handshake.sealing();
        this.opening = handshake.opening();
        this.sink = sink;
        this.maxPayloadLength = handshake.maxPayloadLength();
        byte[] digest = Sha256.hash(concat("cmt-display-id".getBytes(StandardCharsets.US_ASCII), handshake.sessionId()));
        this.displayId = HexFormat.of().formatHex(digest, 0, 6);
    }

    // ---------------------------------------------------------------- sending

    /** Sends application bytes as one Data frame. */
    public void send(byte[] data) throws IOException {
        send(data, 0, data.length);
    }

    /** Sends {@code length} bytes of {@code data} as one Data frame. */
    public void send(byte[] data, int offset, int length) throws IOException {
        checkSendSize(length);
        sendLock.lock();
        try {
            requireSendable();
            prepareSendingKey(length);
            long begin = System.nanoTime();
            write(FrameType.DATA, sealing.seal(FrameType.DATA, data, offset, length), length, begin);
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends a tensor as one Tensor frame. */
    public void sendTensor(Tensor tensor) throws IOException {
        // Laid out outside the lock, with room for the header and the tag: the tensor's data is copied
        // once, by the codec, and the record layer seals the frame in place.
        checkSendSize(TensorCodec.encodedLength(tensor));
        byte[] frame = TensorCodec.encode(tensor, FrameCodec.HEADER_LENGTH, RecordAlgorithm.TAG_LENGTH);
        int plaintextLength = frame.length - SealingContext.FRAME_OVERHEAD;
        sendLock.lock();
        try {
            requireSendable();
            prepareSendingKey(plaintextLength);
            long begin = System.nanoTime();
            write(FrameType.TENSOR, sealing.sealInPlace(FrameType.TENSOR, frame), plaintextLength, begin);
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends a sealed Heartbeat. */
    public void sendHeartbeat() throws IOException {
        sendControl(FrameType.HEARTBEAT, new byte[0]);
    }

    /** Sends a sealed Error frame with a short reason (truncated to 256 characters); the session stays open. */
    public void sendError(String reason) throws IOException {
        String capped = reason.length() > MAX_ERROR_REASON_CHARS ? reason.substring(0, MAX_ERROR_REASON_CHARS) : reason;
        sendControl(FrameType.ERROR, capped.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a sealed Shutdown; nothing may be sent afterwards. Does nothing when already shut down or failed. */
    public void shutdown() throws IOException {
        sendLock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            if (keyUpdate) {
                prepareSendingKey(0);
            }
            long begin = System.nanoTime();
            write(FrameType.SHUTDOWN, sealing.seal(FrameType.SHUTDOWN, EMPTY), 0, begin);
            state = State.SHUTDOWN_SENT;
        } finally {
            sendLock.unlock();
        }
    }

    private void sendControl(FrameType type, byte[] plaintext) throws IOException {
        sendLock.lock();
        try {
            requireSendable();
            prepareSendingKey(plaintext.length);
            long begin = System.nanoTime();
            write(type, sealing.seal(type, plaintext), plaintext.length, begin);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a KeyUpdate now and continues under the next sending key (PROTOCOL.md section 8.3).
     * Sessions update on their own (see the class comment); this is for applications that want a
     * fresh key at a moment of their choosing, and for tests.
     *
     * @param requestPeerUpdate whether the peer is asked to update its sending key too
     * @throws IllegalStateException when the handshake did not negotiate key update
     */
    public void updateKey(boolean requestPeerUpdate) throws IOException {
        if (!keyUpdate) {
            throw new IllegalStateException("key update was not negotiated for this session");
        }
        sendLock.lock();
        try {
            requireSendable();
            if (keyUpdateOwed || !requestPeerUpdate) {
                writeKeyUpdate(false);
            }
            if (requestPeerUpdate) {
                writeKeyUpdate(true);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Called under the send lock before sealing {@code plaintextLength} bytes: sends the KeyUpdate
     * that is owed or due, or ends an AES-256-GCM session without key update before its limit.
     */
    private void prepareSendingKey(int plaintextLength) throws IOException {
        if (keyUpdate) {
            if (keyUpdateOwed || sealing.mustUpdateKeyBefore(plaintextLength) || keyUpdateIntervalPassed()) {
                writeKeyUpdate(false);
            }
        } else if (sealing.exceedsKeyLimit(plaintextLength)) {
            // Section 8.2: without key update the only safe way on is a clean end.
            long begin = System.nanoTime();
            write(FrameType.SHUTDOWN, sealing.seal(FrameType.SHUTDOWN, EMPTY), 0, begin);
            state = State.SHUTDOWN_SENT;
            throw new SecureChannelException(FailureReason.KEY_USAGE_EXHAUSTED,
                    "AES-256-GCM key has sealed " + sealing.bytesUnderKey() + " bytes");
        }
    }

    private boolean keyUpdateIntervalPassed() {
        return sealing.bytesUnderKey() >= keyUpdatePolicy.afterBytes()
                || nanoClock.getAsLong() - sendingKeySince >= keyUpdatePolicy.afterTime().toNanos();
    }

    private void writeKeyUpdate(boolean requestPeerUpdate) throws IOException {
        long begin = System.nanoTime();
        write(FrameType.KEY_UPDATE, sealing.sealKeyUpdate(requestPeerUpdate), 0, begin);
        sendingKeySince = nanoClock.getAsLong();
        keyUpdatesSent++;
        if (!requestPeerUpdate) {
            keyUpdateOwed = false;
        }
    }

    /** Sends the KeyUpdate 0x00 the peer asked for, unless a sender holds the lock (it will send it first). */
    private void answerKeyUpdate() {
        if (!keyUpdateOwed || !sendLock.tryLock()) {
            return;
        }
        try {
            if (keyUpdateOwed && state == State.OPEN) {
                writeKeyUpdate(false);
            }
        } catch (IOException | RuntimeException e) {
            // write() has already failed the session; the reader learns of it on its next frame.
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Hands a frame sealed since {@code sealBegan} ({@link System#nanoTime()}) to the sink, and
     * tells the send timer the seal's and the write's share apart.
     */
    private void write(FrameType type, byte[] frame, int plaintextLength, long sealBegan) throws IOException {
        long sealed = System.nanoTime();
        try {
            sink.write(frame);
        } catch (IOException | RuntimeException e) {
            fail(FailureReason.TRUNCATED);
            throw e;
        }
        long written = System.nanoTime();
        framesSent++;
        bytesSent += plaintextLength;
        sendTimer.frameSent(type, plaintextLength, sealed - sealBegan, written - sealed);
    }

    private void checkSendSize(long plaintextLength) {
        if (plaintextLength + RecordAlgorithm.TAG_LENGTH > maxPayloadLength) {
            throw new IllegalArgumentException("message of " + plaintextLength + " bytes exceeds the session cap of "
                    + (maxPayloadLength - RecordAlgorithm.TAG_LENGTH) + " bytes");
        }
    }

    private void requireSendable() {
        if (state != State.OPEN) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "session is " + state);
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Authenticates, decrypts and decodes one received frame (a whole frame, as one WebSocket
     * message or one frame from a stream decoder).
     *
     * @return the message for the application, or {@code null} for a frame the session consumed
     *         itself (a KeyUpdate)
     * @throws SecureChannelException for any failure; the session is then failed and the
     *                                reason's close code says how to close the transport
     */
    public @Nullable Message open(byte[] frame) {
        Message message = openFrame(frame);
        if (message == null) {
            // Outside the receive lock: the answer may block in the transport's write.
            answerKeyUpdate();
        }
        return message;
    }

    private @Nullable Message openFrame(byte[] frame) {
        synchronized (receiveLock) {
            if (state == State.FAILED || state == State.SHUTDOWN_RECEIVED || state == State.CLOSED) {
                throw new SecureChannelException(FailureReason.SESSION_CLOSED, "session is " + state);
            }
            try {
                Message message = decode(frame);
                framesReceived++;
                return message;
            } catch (SecureChannelException e) {
                fail(e.reason());
                throw e;
            } catch (RuntimeException e) {
                fail(FailureReason.INTERNAL_ERROR);
                throw new SecureChannelException(FailureReason.INTERNAL_ERROR, e.getClass().getSimpleName(), e);
            }
        }
    }

    private @Nullable Message decode(byte[] frame) {
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, maxPayloadLength);
        FrameType type = header.type();
        if (type == FrameType.HELLO) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "hello after the handshake");
        }
        if (type == FrameType.KEY_UPDATE && !keyUpdate) {
            // Section 8.3: without the extension 0x07 is just an unknown type.
            throw new SecureChannelException(FailureReason.UNKNOWN_MESSAGE_TYPE, "KeyUpdate without the key update extension");
        }
        if (!FrameFlags.isEncrypted(header.flags())) {
            throw new SecureChannelException(FailureReason.UNENCRYPTED_FRAME);
        }
        if (header.flags() != type.sealedFlags()) {
            throw new SecureChannelException(FailureReason.INVALID_FLAGS,
                    "flags 0x" + Integer.toHexString(header.flags()) + " on " + type);
        }
        byte[] plaintext = opening.open(frame, header);
        bytesReceived += plaintext.length;
        switch (type) {
            case DATA:
                return new Message.Data(plaintext);
            case TENSOR:
                return new Message.TensorMessage(TensorCodec.decode(plaintext));
            case HEARTBEAT:
                return new Message.Heartbeat();
            case ERROR:
                return new Message.Error(sanitise(plaintext));
            case SHUTDOWN:
                state = State.SHUTDOWN_RECEIVED;
                return new Message.Shutdown();
            case KEY_UPDATE:
                return onKeyUpdate(plaintext);
            default:
                throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, type.toString());
        }
    }

    private @Nullable Message onKeyUpdate(byte[] plaintext) {
        if (plaintext.length != 1 || (plaintext[0] & 0xFF) > 1) {
            throw new SecureChannelException(FailureReason.MALFORMED_KEY_UPDATE, plaintext.length + " bytes");
        }
        opening.updateKey();
        keyUpdatesReceived++;
        if (plaintext[0] == 1) {
            keyUpdateOwed = true;
        }
        return null;
    }

    /** Lossy UTF-8, control characters replaced, capped: an Error reason is only ever displayed. */
    static String sanitise(byte[] reason) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(reason, 0, Math.min(reason.length, MAX_ERROR_REASON_CHARS * 4)));
        } catch (java.nio.charset.CharacterCodingException impossible) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(chars.length(), MAX_ERROR_REASON_CHARS));
        for (int i = 0; i < chars.length() && out.length() < MAX_ERROR_REASON_CHARS; i++) {
            char c = chars.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Tells the session its transport closed. Returns the reason the session ended: none for a
     * clean end (a Shutdown was exchanged), TRUNCATED otherwise.
     */
    public @Nullable FailureReason transportClosed() {
        State current = state;
        if (current == State.OPEN || current == State.SHUTDOWN_SENT) {
            fail(FailureReason.TRUNCATED);
            return FailureReason.TRUNCATED;
        }
        close();
        return failureReason;
    }

    /** Ends the session with {@code reason} (for failures the transport detected); the first reason wins. */
    public void fail(FailureReason reason) {
        synchronized (this) {
            if (state == State.FAILED) {
                return;
            }
            failureReason = reason;
            state = State.FAILED;
        }
        opening.poison();
        wipe();
    }

    /** Releases keys; sends nothing. Call {@link #shutdown()} first for a clean end. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.OPEN) {
                // Closed locally without a Shutdown exchange: an abort, not a clean end.
                failureReason = FailureReason.SESSION_CLOSED;
                state = State.FAILED;
            } else if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_RECEIVED) {
                state = State.CLOSED;
            }
        }
        wipe();
    }

    private void wipe() {
        // Never wait for the send lock here: a sender may be blocked in a transport write.
        // The state is already final, so no further seal can start; a sender holding the lock
        // leaves the context to be wiped by the next close().
        if (sendLock.tryLock()) {
            try {
                sealing.destroy();
            } finally {
                sendLock.unlock();
            }
        }
        synchronized (receiveLock) {
            opening.destroy();
        }
    }

    // ---------------------------------------------------------------- introspection

    /** The current state. */
    public State state() {
        return state;
    }

    /** Whether frames may still be sent and received. */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Why the session failed, or {@code null}. */
    public @Nullable FailureReason failureReason() {
        return failureReason;
    }

    /** The local role. */
    public Role role() {
        return handshake.role();
    }

    /** The peer's verified attestation. */
    public VerifiedAttestation peerAttestation() {
        return handshake.peerAttestation();
    }

    /** The completed handshake (timings, local document). */
    public HandshakeResult handshake() {
        return handshake;
    }

    /** A short public identifier for logs and dashboards: a hash prefix, never the session id itself. */
    public String displayId() {
        return displayId;
    }

    /** Frames and plaintext bytes so far, each way. */
    public SecureSession.Traffic traffic() {
        return new SecureSession.Traffic(framesSent, bytesSent, framesReceived, bytesReceived);
    }

    /** Frames sent so far. */
    public long framesSent() {
        return framesSent;
    }

    /** Plaintext bytes sent so far. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Frames received so far. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Plaintext bytes received so far. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** KeyUpdates this side has sent (PROTOCOL.md section 8.3). */
    public long keyUpdatesSent() {
        return keyUpdatesSent;
    }

    /** KeyUpdates received from the peer. */
    public long keyUpdatesReceived() {
        return keyUpdatesReceived;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
