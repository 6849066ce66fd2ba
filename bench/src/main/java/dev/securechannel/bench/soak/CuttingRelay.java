package dev.securechannel.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A loopback TCP relay whose clients vanish: each connection it accepts is forwarded to the
 * server until the client has sent a number of bytes drawn for that connection, then both
 * sockets are reset (SO_LINGER 0, so the server sees an RST and no close handshake). Depending
 * on the number drawn, the client vanishes in the WebSocket upgrade, in the secure channel's
 * handshake or in the middle of a message.
 */
final class CuttingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final IntSupplier cutAfter;
    private final AtomicInteger liveConnections = new AtomicInteger();
    private final Thread acceptor;

    /**
     * @param serverPort the loopback port to forward to
     * @param cutAfter   per connection, how many client bytes to forward before resetting it
     */
    CuttingRelay(int serverPort, IntSupplier cutAfter) throws IOException {
        this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        this.cutAfter = cutAfter;
        this.acceptor = new Thread(this::acceptLoop, "soak-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and not yet cut or closed (each holds two pump threads). */
    int liveConnections() {
        return liveConnections.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                relay(client, cutAfter.getAsInt());
            } catch (IOException e) {
                // Closed by close(), or one connection failed to reach the server: keep serving until closed.
            }
        }
    }

    private void relay(Socket client, int budget) throws IOException {
        Socket upstream;
        try {
            upstream = new Socket(server.getAddress(), server.getPort());
        } catch (IOException e) {
            reset(client);
            throw e;
        }
        liveConnections.incrementAndGet();
        AtomicInteger pumpsLeft = new AtomicInteger(2);
        Runnable done = () -> {
            if (pumpsLeft.decrementAndGet() == 0) {
                liveConnections.decrementAndGet();
            }
        };
        start("soak-relay-up", () -> pump(client, upstream, budget), done, client, upstream);
        start("soak-relay-down", () -> pump(upstream, client, Integer.MAX_VALUE), done, client, upstream);
    }

    private static void start(String name, ThrowingRunnable pump, Runnable done, Socket client, Socket upstream) {
        Thread thread = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException e) {
                // The other direction reset the sockets, or a peer closed: either way this pump is over.
            } finally {
                reset(client);
                reset(upstream);
                done.run();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies from {@code from} to {@code to} until {@code budget} bytes went through or either side ends. */
    private static void pump(Socket from, Socket to, int budget) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int left = budget;
        while (left > 0) {
            int read = in.read(buffer, 0, Math.min(buffer.length, left));
            if (read < 0) {
                return;
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // Already closing: the close below is all that is left to do.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws IOException;
    }
}
