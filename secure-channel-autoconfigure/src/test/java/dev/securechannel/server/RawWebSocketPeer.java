package dev.securechannel.server;

import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.protocol.WebSocketMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A hostile or misbehaving peer on the JDK's {@code java.net.http.WebSocket}: it offers
 * {@code cmt.v4}, sends whatever bytes a test crafts, drives the handshake itself with the
 * library's {@link HandshakeInitiator} when asked, records every binary message and the close
 * code the server sends, and can vanish without a close frame ({@link #abort()}).
 */
final class RawWebSocketPeer implements AutoCloseable {

    /** How long any single wait of a test may take. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** The close code recorded when the connection broke without a close frame. */
    static final int ABNORMAL = 1006;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private static final SessionConfig CLIENT_CONFIG = SessionConfig.insecureDevelopment();

    /** The close frame the server sent, or {@link #ABNORMAL} when the connection broke. */
    record Closure(int code, String reason) {
    }

    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closure> closure = new CompletableFuture<>();
    private volatile WebSocket webSocket;

    private RawWebSocketPeer() {
    }

    /** Opens a WebSocket offering {@code cmt.v4}; the server starts its handshake timer now. */
    static RawWebSocketPeer connect(URI uri) {
        return await(connectAsync(uri));
    }

    /** Starts opening a WebSocket offering {@code cmt.v4}. */
    static CompletableFuture<RawWebSocketPeer> connectAsync(URI uri) {
        RawWebSocketPeer peer = new RawWebSocketPeer();
        return HTTP.newWebSocketBuilder()
                .connectTimeout(WAIT)
                .subprotocols(WebSocketMapping.SUBPROTOCOL)
                .buildAsync(uri, peer.new Listener())
                .thenApply(ws -> {
                    peer.webSocket = ws;
                    return peer;
                });
    }

    /**
     * Tries to open a WebSocket offering {@code subprotocols} (none when empty) and returns the
     * HTTP status of the refused upgrade.
     *
     * @throws AssertionError when the upgrade succeeds
     */
    static int refusedUpgradeStatus(URI uri, String... subprotocols) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, new WebSocket.Listener() {
        });
        try {
            WebSocket opened = opening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            opened.abort();
            throw new AssertionError("the upgrade was accepted with subprotocol '" + opened.getSubprotocol() + "'");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("the upgrade failed without an HTTP answer", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            opening.cancel(true);
            throw new AssertionError("no answer to the upgrade within " + WAIT, e);
        }
    }

    /**
     * Sends a hand-written HTTP upgrade request with {@code extraHeaders} over a plain socket
     * and returns the response's status line and headers (names in lower case); the socket is
     * then closed. For what the JDK client cannot send, such as a permessage-deflate offer.
     */
    static UpgradeResponse rawUpgrade(int port, String path, Map<String, String> extraHeaders) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                head.write(next);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).trim());
                }
            }
            return new UpgradeResponse(lines[0], headers);
        }
    }

    /** The answer to a hand-written upgrade request. */
    record UpgradeResponse(String statusLine, Map<String, List<String>> headers) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    // ---------------------------------------------------------------- driving the protocol

    /**
     * Runs a complete, honest initiator handshake with the library's state machine and
     * returns a session whose sealed frames the test sends itself (or not).
     */
    SealedSession completeHandshake() {
        HandshakeInitiator initiator = new HandshakeInitiator(CLIENT_CONFIG);
        sendBinary(initiator.start());
        HandshakeStep step = initiator.onFrame(receiveBinary());
        sendBinary(step.reply());
        return new SealedSession(step.result());
    }

    /** A fresh, honest initiator hello (message 1, sequence 0), for tests that tamper with it. */
    static byte[] initiatorHello() {
        return new HandshakeInitiator(CLIENT_CONFIG).start();
    }

    /** Runs the first half of the handshake: sends hello 1 and returns the server's hello 2. */
    HandshakeInitiator sendHelloAndAwaitReply() {
        HandshakeInitiator initiator = new HandshakeInitiator(CLIENT_CONFIG);
        sendBinary(initiator.start());
        receiveBinary();
        return initiator;
    }

    // ---------------------------------------------------------------- raw I/O

    /** Sends one binary message and waits until the JDK has written it. */
    void sendBinary(byte[] message) {
        await(webSocket.sendBinary(ByteBuffer.wrap(message), true));
    }

    /**
     * Sends one binary message, ignoring a failure because the server closed first (for
     * messages pipelined behind one the server rejects).
     */
    void sendBinaryUnlessClosed(byte[] message) {
        try {
            webSocket.sendBinary(ByteBuffer.wrap(message), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException ignored) {
            // The server may already have closed the connection: that is what the test expects.
        }
    }

    /** Sends one text message. */
    void sendText(String text) {
        await(webSocket.sendText(text, true));
    }

    /** Closes the WebSocket politely (a close frame) without any Shutdown frame first. */
    void sendClose(int code) {
        await(webSocket.sendClose(code, ""));
    }

    /** The next whole binary message from the server. */
    byte[] receiveBinary() {
        try {
            byte[] message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no binary message within " + WAIT + (closure.isDone() ? ", closed: " + closure.join() : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Binary messages received and not yet taken. */
    int pendingMessages() {
        return received.size();
    }

    /** Waits for the server's close and returns its code ({@link #ABNORMAL} when the connection broke). */
    int awaitCloseCode() {
        return awaitClosure(WAIT).code();
    }

    /** Waits up to {@code timeout} for the server's close. */
    Closure awaitClosure(Duration timeout) {
        try {
            return closure.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** The server's close, once it arrived. */
    CompletableFuture<Closure> closure() {
        return closure;
    }

    /** Vanishes: closes the TCP connection without a close frame. */
    void abort() {
        webSocket.abort();
    }

    @Override
    public void close() {
        WebSocket current = webSocket;
        if (current != null) {
            current.abort();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("not done within " + WAIT);
        }
    }

    /** Records what the server sends. */
    private final class Listener implements WebSocket.Listener {

        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                received.add(partial.toByteArray());
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closure.complete(new Closure(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closure.complete(new Closure(ABNORMAL, error.toString()));
        }
    }
}
