package dev.securechannel.transport;

import dev.securechannel.internal.protocol.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Frames over a plain TCP stream, as the Rust reference crate sends them: back to back, no
 * extra framing. Reads go through a {@link FrameDecoder}, so a header is validated before its
 * payload is read and nothing is allocated from an unauthenticated length.
 */
public final class TcpTransport implements FrameTransport {

    private static final int READ_CHUNK = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(0);
    private final byte[] chunk = new byte[READ_CHUNK];
    private boolean endOfStream;

    /** Wraps a connected socket (TCP_NODELAY is turned on). */
    public TcpTransport(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port} within {@code timeout}. */
    public static TcpTransport connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new TcpTransport(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    @Override
    public byte[] receive(int maxPayloadLength, Duration timeout) throws IOException {
        decoder.setMaxPayloadLength(maxPayloadLength);
        long deadline = timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] frame = decoder.nextFrameBytes();
            if (frame != null) {
                return frame;
            }
            if (endOfStream) {
                return null;
            }
            if (deadline != 0) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    throw new SocketTimeoutException("no frame within " + timeout);
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
            } else {
                socket.setSoTimeout(0);
            }
            int read = in.read(chunk);
            if (read < 0) {
                endOfStream = true;
            } else {
                decoder.feed(chunk, 0, read);
            }
        }
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
