package dev.securechannel.internal.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.SendLimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SerializedOutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void framesFromConcurrentSendersLeaveOnceEachInEachSendersOrderThenTheClose() throws Exception {
        int senders = 4;
        int framesPerSender = 2_000;
        SerializedOutbox outbox = new SerializedOutbox(Long.MAX_VALUE);
        Socket socket = new Socket();
        CompletableFuture<Void> drained = outbox.drainThenClose(socket::takeAll, socket::close).toFuture();
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sending = new ArrayList<>();
            for (int sender = 0; sender < senders; sender++) {
                int id = sender;
                sending.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < framesPerSender; i++) {
                        outbox.send(frame(id, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> sender : sending) {
                sender.get();
            }
        } finally {
            threads.shutdownNow();
        }
        outbox.close(1000, "shutdown");
        drained.get();

        int[] next = new int[senders];
        for (String event : socket.events.subList(0, senders * framesPerSender)) {
            int sender = Integer.parseInt(event.substring(0, event.indexOf(':')));
            assertThat(event).isEqualTo(sender + ":" + next[sender]++);
        }
        assertThat(next).containsOnly(framesPerSender);
        assertThat(socket.events).hasSize(senders * framesPerSender + 1).last().isEqualTo("close 1000 shutdown");
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void framesQueuedBeforeTheOutboundSubscribesLeaveFirstInOrder() throws Exception {
        SerializedOutbox outbox = new SerializedOutbox(1024);
        outbox.send(frame(0, 1));
        outbox.send(frame(0, 2));
        Socket socket = new Socket();

        CompletableFuture<Void> drained = outbox.drainThenClose(socket::takeAll, socket::close).toFuture();
        outbox.send(frame(0, 3));
        outbox.close(1001, "server going away");
        drained.get();

        assertThat(socket.events).containsExactly("0:1", "0:2", "0:3", "close 1001 server going away");
    }

    /**
     * A peer that stops reading: the outbound takes nothing, the budget fills, and the frame
     * that does not fit is refused with the typed exception, so the connection fails with
     * SEND_LIMIT_EXCEEDED and closes; the frames accepted before it still leave, then the close.
     */
    @Test
    void aFrameOverTheBudgetIsRefusedWithTheTypedFailureAndTheCloseFollowsTheFramesBeforeIt() throws Exception {
        SerializedOutbox outbox = new SerializedOutbox(16);
        outbox.send(frame(0, 1));
        outbox.send(frame(0, 2));

        assertThatThrownBy(() -> outbox.send(new byte[1]))
                .isInstanceOf(SendLimitExceededException.class)
                .hasMessage("send queue over 16 bytes");
        assertThat(outbox.queuedBytes()).isEqualTo(16);

        FailureReason failure = FailureReason.SEND_LIMIT_EXCEEDED;
        outbox.close(failure.closeCode(), failure.peerMessage());
        assertThatThrownBy(() -> outbox.send(new byte[1]))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SendLimitExceededException.class)
                .hasMessage("connection closing");

        Socket socket = new Socket();
        outbox.drainThenClose(socket::takeAll, socket::close).block(WAIT);
        assertThat(socket.events).containsExactly("0:1", "0:2", "close 1008 send buffer limit exceeded");
        assertThat(outbox.queuedBytes()).isZero();
    }

    /** Backpressure: the bytes of a frame count until the outbound takes it, and no longer. */
    @Test
    void aFrameStaysInTheBudgetUntilTheOutboundTakesIt() throws Exception {
        SerializedOutbox outbox = new SerializedOutbox(16);
        StalledSocket socket = new StalledSocket();
        outbox.drainThenClose(socket::write, (code, reason) -> Mono.empty()).subscribe();
        outbox.send(frame(0, 1));
        outbox.send(frame(0, 2));
        assertThatThrownBy(() -> outbox.send(new byte[8])).isInstanceOf(SendLimitExceededException.class);

        socket.request(1);

        assertThat(socket.written).hasSize(1);
        assertThat(outbox.queuedBytes()).isEqualTo(8);
        outbox.send(frame(0, 3));
        assertThat(outbox.queuedBytes()).isEqualTo(16);
    }

    @Test
    void onlyTheFirstCloseCountsAndItCompletesTheOutbound() throws Exception {
        SerializedOutbox outbox = new SerializedOutbox(1024);
        Socket socket = new Socket();
        CompletableFuture<Void> drained = outbox.drainThenClose(socket::takeAll, socket::close).toFuture();

        outbox.close(1008, "idle timeout");
        outbox.close(1000, "shutdown");
        outbox.transportEnded();

        drained.get();
        assertThat(socket.events).containsExactly("close 1008 idle timeout");
    }

    @Test
    void aWebSocketThatEndsWithoutACloseRequestIsClosedNormallyAndRefusesFurtherFrames() throws Exception {
        SerializedOutbox outbox = new SerializedOutbox(1024);
        Socket socket = new Socket();
        CompletableFuture<Void> drained = outbox.drainThenClose(socket::takeAll, socket::close).toFuture();

        outbox.transportEnded();
        outbox.close(1011, "internal error");

        drained.get();
        assertThat(socket.events).containsExactly("close 1000 ");
        assertThatThrownBy(() -> outbox.send(new byte[1])).isInstanceOf(IOException.class).hasMessage("connection closing");
    }

    /** The outbound went away (the connection dropped): a send fails as I/O, not as the limit, and counts nothing. */
    @Test
    void aFrameTheOutboundCanNoLongerTakeFailsAsIoAndGivesItsBytesBack() {
        SerializedOutbox outbox = new SerializedOutbox(1024);
        StalledSocket socket = new StalledSocket();
        outbox.drainThenClose(socket::write, (code, reason) -> Mono.empty()).subscribe();
        socket.cancel();

        assertThatThrownBy(() -> outbox.send(frame(0, 1)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SendLimitExceededException.class)
                .hasMessageStartingWith("send queue refused the frame");
        assertThat(outbox.queuedBytes()).isZero();
    }

    private static byte[] frame(int sender, int index) {
        return ByteBuffer.allocate(8).putInt(sender).putInt(index).array();
    }

    /** An outbound that takes every frame at once and records it, then the close, as text. */
    private static final class Socket {

        final List<String> events = new ArrayList<>();

        Mono<Void> takeAll(Flux<byte[]> frames) {
            return frames.doOnNext(frame -> {
                ByteBuffer buffer = ByteBuffer.wrap(frame);
                events.add(buffer.getInt() + ":" + buffer.getInt());
            }).then();
        }

        Mono<Void> close(int code, String reason) {
            return Mono.fromRunnable(() -> events.add("close " + code + " " + reason));
        }
    }

    /** An outbound that takes frames only when the test asks, like a socket the peer stopped reading. */
    private static final class StalledSocket extends BaseSubscriber<byte[]> {

        final Queue<byte[]> written = new ConcurrentLinkedQueue<>();
        private final CompletableFuture<@Nullable Void> done = new CompletableFuture<>();

        Mono<Void> write(Flux<byte[]> frames) {
            frames.subscribe(this);
            return Mono.fromFuture(done).then();
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // Takes nothing until asked.
        }

        @Override
        protected void hookOnNext(byte[] frame) {
            written.add(frame);
        }

        @Override
        protected void hookOnComplete() {
            done.complete(null);
        }
    }
}
