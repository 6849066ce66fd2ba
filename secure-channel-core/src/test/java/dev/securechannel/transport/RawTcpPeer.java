package dev.securechannel.transport;

import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.protocol.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client on a bare socket that controls every byte it writes and when: it can trickle a
 * frame, pipeline several frames into one write, or run the initiator's state machine by
 * hand and then misbehave. Reads go through a {@link FrameDecoder}.
 */
final class RawTcpPeer implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH);

    private RawTcpPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on the loopback address. */
    static RawTcpPeer connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return new RawTcpPeer(socket);
    }

    /** Wraps a socket a server accepted. */
    static RawTcpPeer wrap(Socket socket) throws IOException {
        return new RawTcpPeer(socket);
    }

    /** Writes {@code bytes} in one write call. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes {@code bytes} one at a time, {@code pauseMillis} apart, until done or the peer closes. */
    void trickle(byte[] bytes, long pauseMillis) {
        try {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(pauseMillis);
            }
        } catch (IOException e) {
            // The victim hung up, which is what the trickling tests wait for.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the next whole frame, or null at end of stream. */
    byte @Nullable [] readFrame() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            byte[] frame = decoder.nextFrameBytes();
            if (frame != null) {
                return frame;
            }
            int read = in.read(chunk);
            if (read < 0) {
                return null;
            }
            decoder.feed(chunk, 0, read);
        }
    }

    /**
     * Runs the initiator's side up to the confirmation, without sending it: the caller decides
     * how the confirmation goes out.
     *
     * @return the step holding the confirmation and the completed handshake
     */
    HandshakeStep handshakeUntilConfirmation(SessionConfig config) throws IOException {
        HandshakeInitiator initiator = new HandshakeInitiator(config);
        write(Objects.requireNonNull(initiator.start()));
        return initiator.onFrame(Objects.requireNonNull(readFrame(), "server closed during the handshake"));
    }

    /** Runs the whole initiator side and returns the result. */
    HandshakeResult handshake(SessionConfig config) throws IOException {
        HandshakeStep step = handshakeUntilConfirmation(config);
        write(Objects.requireNonNull(step.reply()));
        return Objects.requireNonNull(step.result());
    }

    /** Whether the other side closed: a read returns end of stream (or the connection is reset) within 5 s. */
    boolean sawEndOfStream() throws IOException {
        try {
            while (readFrame() != null) {
                // Skip frames still in flight.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
