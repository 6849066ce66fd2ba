package dev.securechannel.bench.capacity;

import dev.securechannel.internal.protocol.WebSocketMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A connection that completes the WebSocket upgrade to the secure-channel endpoint and then
 * never sends its hello: it holds one of the server's pending-handshake slots until the
 * handshake timeout or until closed.
 */
final class StalledHandshake implements AutoCloseable {

    private final Socket socket;

    StalledHandshake(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String request = "GET /secure-channel HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: " + WebSocketMapping.SUBPROTOCOLS.get(0) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = statusLine(socket.getInputStream());
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().trim();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
