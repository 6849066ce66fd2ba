package dev.securechannel.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.Rejections;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Helpers for tests of the blocking {@link SecureChannel}: run one side on its own daemon
 * thread, wait with a bound, and assert what "rejected" means for a channel (the reason
 * reaches the caller, nothing is returned, the session is failed and the transport is closed,
 * so the peer's end sees end of stream).
 */
public final class ChannelTesting {

    /** The longest any single blocking step of a test may take. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    /** One daemon thread per task, so an abandoned peer never keeps the test JVM alive. */
    private static final Executor DAEMONS = task -> {
        Thread thread = new Thread(task, "secure-channel-test-peer");
        thread.setDaemon(true);
        thread.start();
    };

    private ChannelTesting() {
    }

    /** Runs {@code task} on its own daemon thread. */
    public static <T> CompletableFuture<T> async(Callable<T> task) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, DAEMONS);
    }

    /** Waits up to {@link #WAIT} for {@code future}, rethrowing its failure unwrapped. */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + WAIT, e);
        }
    }

    /** Waits for {@code future} to fail with a {@link SecureChannelException} of {@code reason}. */
    public static SecureChannelException awaitFailure(CompletableFuture<?> future, FailureReason reason) {
        return Rejections.thrownBy(() -> await(future), reason);
    }

    /**
     * A connected client and server over a fresh {@link InMemoryDuplex}.
     *
     * @param client the initiator's channel
     * @param server the responder's channel
     */
    public record Pair(SecureChannel client, SecureChannel server) implements AutoCloseable {

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** Runs both handshakes over a fresh in-memory duplex (the server on its own thread). */
    public static Pair connectInMemory(SessionConfig clientConfig, SessionConfig serverConfig) throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(), serverConfig));
        SecureChannel client = SecureChannel.connect(duplex.first(), clientConfig);
        return new Pair(client, await(server));
    }

    /**
     * Asserts that {@code channel}'s next receive rejects with {@code reason}: nothing is
     * returned, the session is failed, later receives and sends fail with SESSION_CLOSED, and
     * {@code peerEnd} sees end of stream.
     */
    public static SecureChannelException assertReceiveRejects(SecureChannel channel, FailureReason reason, FrameTransport peerEnd)
            throws IOException {
        SecureChannelException thrown = Rejections.thrownBy(channel::receive, reason);
        assertChannelClosedBy(channel, reason, peerEnd);
        return thrown;
    }

    /** Asserts that {@code channel} failed with {@code reason} and closed its transport. */
    public static void assertChannelClosedBy(SecureChannel channel, FailureReason reason, FrameTransport peerEnd) throws IOException {
        assertThat(BlockingSecureChannel.recordSession(channel).state()).isEqualTo(RecordSession.State.FAILED);
        assertThat(BlockingSecureChannel.recordSession(channel).failureReason()).isEqualTo(reason);
        Rejections.thrownBy(channel::receive, FailureReason.SESSION_CLOSED);
        Rejections.thrownBy(() -> channel.send(new byte[] {1}), FailureReason.SESSION_CLOSED);
        assertEndOfStream(peerEnd);
    }

    /**
     * Asserts that the other side closed: {@code end} reaches end of stream within
     * {@link #WAIT}, after at most a few frames already in flight.
     */
    public static void assertEndOfStream(FrameTransport end) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] frame;
            try {
                frame = end.receive(64 * 1024 + 1024, WAIT);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                // A reset connection is a closed one too.
                return;
            }
            if (frame == null) {
                return;
            }
        }
        fail("the peer's transport was not closed within " + WAIT);
    }
}
