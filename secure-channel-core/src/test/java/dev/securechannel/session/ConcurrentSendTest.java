package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.transport.InMemoryDuplex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONFORMANCE N17 (and finding 7): many threads sending on one {@link SecureChannel}. Sealing
 * and writing happen under one lock, so the frames leave in sequence order: the receiver's
 * strict sequence check accepts every one, each is delivered exactly once, and each sending
 * thread's messages arrive in the order it sent them.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentSendTest {

    private static final int THREADS = 8;
    private static final int MESSAGES_PER_THREAD = 1_000;

    @Test
    @DisplayName("N17 8 threads sending at once: every frame delivered once, per-thread order kept, sequences contiguous")
    void concurrentSendersAreSerialisedInSequenceOrder() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        RecordingTransport wire = new RecordingTransport(duplex.first());
        CompletableFuture<SecureChannel> accepted = async(() -> SecureChannel.accept(duplex.second(), development()));
        int total = THREADS * MESSAGES_PER_THREAD;
        try (SecureChannel client = SecureChannel.connect(wire, development()); SecureChannel server = await(accepted)) {
            CompletableFuture<List<long[]>> received = async(() -> receiveAll(server, total));
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int id = thread;
                senders.add(async(() -> {
                    start.await();
                    for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
                        client.send(ByteBuffer.allocate(8).putInt(id).putInt(i).array());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (CompletableFuture<Void> sender : senders) {
                await(sender);
            }

            List<long[]> messages = await(received);

            assertDeliveredOncePerThreadInOrder(messages);
            List<byte[]> dataFrames = wire.sent().subList(2, wire.sent().size());
            assertThat(dataFrames).extracting(WireFrames::sequence)
                    .containsExactlyElementsOf(LongStream.range(0, total).boxed().toList());
            assertThat(BlockingSecureChannel.recordSession(client).framesSent()).isEqualTo(total);
        }
    }

    private static List<long[]> receiveAll(SecureChannel server, int count) throws Exception {
        List<long[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Message message = server.receive();
            ByteBuffer payload = ByteBuffer.wrap(((Message.Data) message).payload());
            messages.add(new long[] {payload.getInt(), payload.getInt()});
        }
        return messages;
    }

    private static void assertDeliveredOncePerThreadInOrder(List<long[]> messages) {
        assertThat(messages).hasSize(THREADS * MESSAGES_PER_THREAD);
        Set<Long> seen = new HashSet<>();
        int[] next = new int[THREADS];
        for (long[] message : messages) {
            int thread = (int) message[0];
            int index = (int) message[1];
            assertThat(seen.add(((long) thread << 32) | index)).as("thread %d message %d delivered once", thread, index).isTrue();
            assertThat(index).as("thread %d order", thread).isEqualTo(next[thread]);
            next[thread]++;
        }
        assertThat(next).containsOnly(MESSAGES_PER_THREAD);
    }
}
