package dev.securechannel.internal.reactor;

import dev.securechannel.connection.SendLimitExceededException;
import dev.securechannel.internal.transport.SendBudget;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The frames of one connection on their way to a Reactor WebSocket outbound: unbounded in
 * count, bounded in bytes by a {@link SendBudget}, sent in the order they were accepted, and
 * followed by the close frame only once the frames before it (a Shutdown) have left.
 *
 * <p>Frames and the close come from several threads: the event loop, the connecting thread
 * (a client's first hello), application threads, the timers that end idle or stalled
 * sessions. Every emission into the sink holds one lock because the sink refuses an emission
 * that overlaps another (FAIL_NON_SERIALIZED) instead of waiting: a sender preempted inside
 * its emission once made the event loop's handshake confirmation fail that way and the
 * handshake stall, and a refused completion would leave the WebSocket open.
 *
 * <p>The budget is released as the outbound takes each frame, so a peer that stops reading
 * (and the socket's backpressure with it) fills the budget until a send is refused with
 * {@link SendLimitExceededException}; the connection then closes with SEND_LIMIT_EXCEEDED.
 */
public final class SerializedOutbox {

    /** RFC 6455 section 7.4.1: normal closure, for a WebSocket that ended without a close request. */
    private static final CloseRequest TRANSPORT_ENDED = new CloseRequest(1000, "");

    private final Sinks.Many<byte[]> frames = Sinks.many().unicast().onBackpressureBuffer();
    private final Object emitLock = new Object();
    private final AtomicReference<@Nullable CloseRequest> close = new AtomicReference<>();
    private final SendBudget budget;

    /** An outbox holding at most {@code sendBufferLimit} bytes not yet taken by the outbound. */
    public SerializedOutbox(long sendBufferLimit) {
        this.budget = new SendBudget(sendBufferLimit);
    }

    /**
     * Queues one whole frame behind those already accepted.
     *
     * @throws SendLimitExceededException when the frame would take the queue past its limit
     * @throws IOException                when the outbox is closing, or the outbound has gone
     */
    public void send(byte[] frame) throws IOException {
        if (close.get() != null) {
            throw new IOException("connection closing");
        }
        budget.reserve(frame.length);
        Sinks.EmitResult result;
        synchronized (emitLock) {
            result = frames.tryEmitNext(frame);
        }
        if (result.isFailure()) {
            budget.release(frame.length);
            throw new IOException("send queue refused the frame: " + result);
        }
    }

    /**
     * Ends the queue: the close frame with {@code code} and {@code reason} follows the frames
     * already accepted. Only the first close counts; later ones, and sends, are refused.
     */
    public void close(int code, String reason) {
        if (close.compareAndSet(null, new CloseRequest(code, reason))) {
            completeFrames();
        }
    }

    /** The WebSocket has ended: no more frames, and a normal closure unless a close was asked for. */
    public void transportEnded() {
        close.compareAndSet(null, TRANSPORT_ENDED);
        completeFrames();
    }

    /** Bytes accepted and not yet taken by the outbound. */
    public long queuedBytes() {
        return budget.queuedBytes();
    }

    /**
     * The connection's whole outbound: {@code send} writes the frames, then {@code closeFrame}
     * the close that ended the queue. Subscribe once.
     *
     * @param send       writes the frames to the WebSocket, completing when they have all left
     * @param closeFrame sends the close frame with the code and reason asked for
     */
    public Mono<Void> drainThenClose(Function<Flux<byte[]>, Mono<Void>> send, CloseFrameSender closeFrame) {
        Flux<byte[]> leaving = frames.asFlux().doOnNext(frame -> budget.release(frame.length));
        return send.apply(leaving).then(Mono.defer(() -> {
            CloseRequest request = close.get();
            CloseRequest sent = request != null ? request : TRANSPORT_ENDED;
            return closeFrame.sendClose(sent.code(), sent.reason());
        }));
    }

    private void completeFrames() {
        synchronized (emitLock) {
            frames.tryEmitComplete();
        }
    }

    /** Sends a WebSocket close frame on a stack's outbound. */
    @FunctionalInterface
    public interface CloseFrameSender {

        /** Sends the close frame with {@code code} and {@code reason}. */
        Mono<Void> sendClose(int code, String reason);
    }

    private record CloseRequest(int code, String reason) {
    }
}
