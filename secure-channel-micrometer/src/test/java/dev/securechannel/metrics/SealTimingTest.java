package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionClock;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.transport.ConnectionTransport;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A seal is timed alone: a slow socket shows in the write timer, never in the seal timer. */
class SealTimingTest {

    /** How long the socket takes to accept each frame. */
    private static final long SINK_DELAY_MILLIS = 300;
    /** Published durations are bucket midpoints, within 6.25% of what was recorded. */
    private static final double BUCKET_ERROR = 0.0625;
    private static final int FRAMES = 3;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConnectionRegistry registry = new ConnectionRegistry(new ConnectionLimits(4, 4, Duration.ZERO));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SecureChannelMetrics statistics = new SecureChannelMetrics();
    private final MicrometerConnectionObserver observer = new MicrometerConnectionObserver(meters, statistics, "mock");

    @AfterEach
    void close() {
        registry.close();
        timer.shutdownNow();
    }

    @Test
    void aSlowSocketShowsInTheWriteTimerAndNotInTheSealTimer() throws Exception {
        SlowTransport toServer = new SlowTransport();
        SlowTransport toClient = new SlowTransport();
        Connection client = Connection.client(SessionConfig.insecureDevelopment(), toServer,
                (connection, message) -> { }, observer, ConnectionClock.system(timer));
        Connection server = Connection.server(SessionConfig.insecureDevelopment(), toClient,
                (connection, message) -> { }, ConnectionObserver.NONE, registry);
        toServer.peer = server::onBinaryMessage;
        toClient.peer = client::onBinaryMessage;
        server.start();
        client.start();
        assertThat(client.isOpen()).as("handshake over in-memory transports").isTrue();

        // A seal happens between the call to send and the frame reaching the socket, so it can take no
        // longer than that stretch, however starved the machine; a seal timer that also covered the
        // socket would take the whole delay on top. (A fixed bound once failed on a loaded machine:
        // a 320 ms seal against 150 ms.)
        toServer.delayMillis = SINK_DELAY_MILLIS;
        long untilTheSocket = 0;
        for (int i = 0; i < FRAMES; i++) {
            long before = System.nanoTime();
            client.send(new byte[1024]);
            untilTheSocket = Math.max(untilTheSocket, toServer.enteredNanos - before);
        }
        observer.publish();
        double sealBoundMicros = untilTheSocket / 1_000.0 * (1 + BUCKET_ERROR);

        SecureChannelMetrics.Messages messages = statistics.snapshot().messages();
        assertThat(messages.seal().overall().count()).isEqualTo(FRAMES);
        assertThat(messages.write().overall().count()).isEqualTo(FRAMES);
        double delayMicros = SINK_DELAY_MILLIS * 1_000.0;
        assertThat(messages.seal().overall().maxMicros()).as("seal max, us").isLessThanOrEqualTo(sealBoundMicros);
        assertThat(messages.write().overall().maxMicros()).as("write max, us").isGreaterThanOrEqualTo(delayMicros * (1 - BUCKET_ERROR));

        Timer seal = meters.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB").timer();
        Timer write = meters.get(MicrometerConnectionObserver.WRITE).tags("type", "data", "size", "le-2KiB").timer();
        assertThat(seal.count()).isEqualTo(FRAMES);
        assertThat(write.count()).isEqualTo(FRAMES);
        assertThat(seal.max(TimeUnit.MICROSECONDS)).isLessThanOrEqualTo(sealBoundMicros);
        assertThat(write.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(SINK_DELAY_MILLIS * (1 - BUCKET_ERROR));
    }

    /** Delivers each frame to the peer at once, after sleeping {@link #delayMillis}: a socket that blocks. */
    private static final class SlowTransport implements ConnectionTransport {

        volatile Consumer<byte[]> peer = frame -> { };
        volatile long delayMillis;
        /** When the last frame reached this socket. */
        volatile long enteredNanos;

        @Override
        public void send(byte[] frame) {
            enteredNanos = System.nanoTime();
            long delay = delayMillis;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            peer.accept(frame);
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
