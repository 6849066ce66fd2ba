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

    /**
     * Long beside a seal of 1 KiB (microseconds), so that even a starved machine (the suite also
     * runs beside other builds) keeps the two far apart: a 50 ms delay once let a 14 ms seal through.
     */
    private static final long SINK_DELAY_MILLIS = 300;
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

        toServer.delayMillis = SINK_DELAY_MILLIS;
        for (int i = 0; i < FRAMES; i++) {
            client.send(new byte[1024]);
        }
        observer.publish();

        SecureChannelMetrics.Messages messages = statistics.snapshot().messages();
        assertThat(messages.seal().overall().count()).isEqualTo(FRAMES);
        assertThat(messages.write().overall().count()).isEqualTo(FRAMES);
        double delayMicros = SINK_DELAY_MILLIS * 1_000.0;
        assertThat(messages.seal().overall().maxMicros()).as("seal max, us").isLessThan(delayMicros / 2);
        assertThat(messages.write().overall().maxMicros()).as("write max, us").isGreaterThanOrEqualTo(delayMicros * 0.9375);

        Timer seal = meters.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB").timer();
        Timer write = meters.get(MicrometerConnectionObserver.WRITE).tags("type", "data", "size", "le-2KiB").timer();
        assertThat(seal.count()).isEqualTo(FRAMES);
        assertThat(write.count()).isEqualTo(FRAMES);
        assertThat(seal.max(TimeUnit.MILLISECONDS)).isLessThan(SINK_DELAY_MILLIS / 2.0);
        // Published durations are bucket midpoints, within 6.25% of what was recorded.
        assertThat(write.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(SINK_DELAY_MILLIS * 0.9375);
    }

    /** Delivers each frame to the peer at once, after sleeping {@link #delayMillis}: a socket that blocks. */
    private static final class SlowTransport implements ConnectionTransport {

        volatile Consumer<byte[]> peer = frame -> { };
        volatile long delayMillis;

        @Override
        public void send(byte[] frame) {
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
