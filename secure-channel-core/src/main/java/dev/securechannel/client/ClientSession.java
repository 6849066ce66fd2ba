package dev.securechannel.client;

import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.io.IOException;
import java.time.Duration;

/**
 * A client's session with a secure-channel endpoint, from {@link SecureChannelClient#connect()}:
 * a {@link SecureSession} that also receives, blocking, and offers request-reply.
 *
 * <p>Sends are thread-safe. {@link #receive(Duration)} and {@link #request(byte[], Duration)}
 * take messages from one inbox in arrival order: use one receiving thread, or only
 * request-reply with one request at a time (requests are serialised). The session ends on
 * the first failure; a new one comes from {@link SecureChannelClient#connect()}.
 */
public interface ClientSession extends SecureSession, AutoCloseable {

    /**
     * The next message (Data, Tensor or Error; heartbeats included).
     *
     * @throws dev.securechannel.SecureChannelException SESSION_CLOSED, TRUNCATED or the failure that ended
     *                                                  the session; IDLE_TIMEOUT when nothing arrives within
     *                                                  {@code timeout} (the session stays open)
     */
    Message receive(Duration timeout) throws InterruptedException;

    /** Sends {@code payload} and waits for the next Data, Tensor or Error message in reply (heartbeats skipped). */
    Message request(byte[] payload, Duration timeout) throws IOException, InterruptedException;

    /** Sends {@code tensor} and waits for the next Data, Tensor or Error message in reply. */
    Message request(Tensor tensor, Duration timeout) throws IOException, InterruptedException;

    /** Sends Shutdown and closes the WebSocket with 1000: the same as {@link #shutdown()}. */
    @Override
    void close();
}
