package dev.securechannel.bench.endpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.net.ssl.SSLSocket;

/**
 * JDK TLS 1.3 over a connected loopback {@link SSLSocket}: a byte stream, so messages carry a
 * 4-byte big-endian length prefix.
 *
 * <p>To keep copies out of the measurement the prefix lives inside the message arrays: a
 * message is {@code [length | payload]}, built once by {@link #frame(byte[])}; {@link #send}
 * writes it with one {@code write} call (one run of TLS records) and {@link #receive} returns a
 * new array in the same layout, which an echo can send back as it is. Sockets use
 * {@code TCP_NODELAY}, so a round trip is not delayed by Nagle's algorithm.
 */
public final class SocketTlsEndpoint implements MessageEndpoint {

    /** Bytes of the length prefix. */
    public static final int PREFIX_LENGTH = 4;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] prefix = new byte[PREFIX_LENGTH];

    /** Wraps a connected socket whose handshake has completed. */
    public SocketTlsEndpoint(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** {@code [length | payload]}: the message array {@link #send} expects. */
    public static byte[] frame(byte[] payload) {
        byte[] message = new byte[PREFIX_LENGTH + payload.length];
        writePrefix(message, payload.length);
        System.arraycopy(payload, 0, message, PREFIX_LENGTH, payload.length);
        return message;
    }

    private static void writePrefix(byte[] message, int length) {
        message[0] = (byte) (length >>> 24);
        message[1] = (byte) (length >>> 16);
        message[2] = (byte) (length >>> 8);
        message[3] = (byte) length;
    }

    @Override
    public void send(byte[] message) throws IOException {
        out.write(message);
        out.flush();
    }

    @Override
    public byte[] receive() throws IOException {
        readFully(prefix, 0, PREFIX_LENGTH);
        int length = ((prefix[0] & 0xFF) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
        if (length < 0) {
            throw new IOException("negative message length");
        }
        byte[] message = new byte[PREFIX_LENGTH + length];
        System.arraycopy(prefix, 0, message, 0, PREFIX_LENGTH);
        readFully(message, PREFIX_LENGTH, length);
        return message;
    }

    private void readFully(byte[] target, int offset, int length) throws IOException {
        if (in.readNBytes(target, offset, length) != length) {
            throw new EOFException("peer closed");
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a benchmark socket is best effort.
        }
    }
}
