package dev.securechannel.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between a WebSocket client and a server, which forwards both
 * directions byte for byte except where a test told it to inject a fault: latency, a
 * bandwidth limit, a connection cut or reset part-way through a frame, a flipped bit, a
 * direction that stops being read (half-open), or a connection accepted and never answered
 * (black hole).
 *
 * <p><b>Byte counts.</b> A fault's counts and offsets are WebSocket bytes of its direction:
 * the HTTP upgrade head (the client's request, the server's 101 response) always passes
 * unharmed and counting starts after it, so that an offset names the same frame byte whatever
 * headers a client or a server writes. A fault injected into a live connection
 * ({@link Connection#inject}) counts from the next byte of its direction; inject it while the
 * direction is quiet (after a reply arrived), since a chunk already being forwarded keeps the
 * fault it started with.
 *
 * <p><b>Events.</b> Tests await what the proxy saw rather than sleep: how many connections it
 * accepted, and when a side closed or reset its end ({@link Connection#closedBy}).
 *
 * <p>Plain blocking sockets: one thread accepts, and each connection has one thread per
 * direction; {@link #close()} closes every socket and waits for the threads to end.
 */
final class FaultInjectingProxy implements AutoCloseable {

    /** One direction of a proxied connection. */
    enum Direction {
        CLIENT_TO_SERVER, SERVER_TO_CLIENT
    }

    /** One end of a proxied connection. */
    enum Side {
        CLIENT, SERVER
    }

    /** What one direction does to the bytes it forwards. */
    sealed interface Fault {

        /** Forwards every byte as it comes. */
        static Fault none() {
            return new Faithful();
        }

        /** Holds every chunk read for {@code latency} before forwarding it. */
        static Fault delay(Duration latency) {
            return new Delay(latency);
        }

        /** Forwards at most {@code bytesPerSecond}: each chunk waits its own length at that rate, as on a link of that speed. */
        static Fault bandwidth(long bytesPerSecond) {
            return new Bandwidth(bytesPerSecond);
        }

        /** Forwards {@code bytes}, then closes both sockets in an orderly way (FIN): the connection ends mid-stream. */
        static Fault cutAfter(long bytes) {
            return new Cut(bytes);
        }

        /** Forwards {@code bytes}, then resets both sockets (RST: SO_LINGER 0 before the close). */
        static Fault resetAfter(long bytes) {
            return new Reset(bytes);
        }

        /** Flips bit {@code bit} (0 the lowest) of the byte at {@code offset}, and forwards everything else unchanged. */
        static Fault flipBit(long offset, int bit) {
            return new FlipBit(offset, bit);
        }

        /**
         * Forwards {@code bytes}, then stops reading from this direction's source while
         * keeping both sockets open: what it sends fills the buffers and goes nowhere, while the
         * other direction carries on (a half-open connection).
         */
        static Fault stopReadingAfter(long bytes) {
            return new StopReading(bytes);
        }
    }

    private record Faithful() implements Fault {
    }

    private record Delay(Duration latency) implements Fault {
    }

    private record Bandwidth(long bytesPerSecond) implements Fault {
    }

    private record Cut(long after) implements Fault {
    }

    private record Reset(long after) implements Fault {
    }

    private record FlipBit(long offset, int bit) implements Fault {
    }

    private record StopReading(long after) implements Fault {
    }

    /** What the proxy does with one connection: forwards it with a fault in each direction, or nothing at all (a black hole). */
    record Plan(boolean forwards, Fault clientToServer, Fault serverToClient) {

        /** Forwards both directions faithfully. */
        static Plan faithful() {
            return new Plan(true, Fault.none(), Fault.none());
        }

        /** Accepts the TCP connection, then neither reads, forwards nor answers anything. */
        static Plan blackHole() {
            return new Plan(false, Fault.none(), Fault.none());
        }

        /** {@code fault} in {@code direction}, the other direction faithful. */
        static Plan inject(Direction direction, Fault fault) {
            return direction == Direction.CLIENT_TO_SERVER
                    ? new Plan(true, fault, Fault.none())
                    : new Plan(true, Fault.none(), fault);
        }

        /** {@code fault} in both directions (each direction counts its own bytes). */
        static Plan both(Fault fault) {
            return new Plan(true, fault, fault);
        }
    }

    private static final int CHUNK = 16 * 1024;
    private static final Duration THREADS_END = Duration.ofSeconds(5);
    private static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);

    private final int targetPort;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Deque<Plan> plans = new ArrayDeque<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile boolean closed;

    /** Listens on a random loopback port and forwards each connection to {@code targetPort} on loopback. */
    FaultInjectingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptConnections);
    }

    /** The port clients connect to. */
    int port() {
        return listener.getLocalPort();
    }

    /** The next {@code count} connections get {@code plan}; connections beyond every plan are forwarded faithfully. */
    void planNext(int count, Plan plan) {
        synchronized (plans) {
            for (int i = 0; i < count; i++) {
                plans.add(plan);
            }
        }
    }

    /** Connections accepted so far. */
    int connectionCount() {
        return connections.size();
    }

    /**
     * The {@code index}-th connection accepted (0 the first), waiting a few seconds for it: a
     * peer may see the connection before the proxy has recorded it.
     */
    Connection connection(int index) {
        long deadline = System.nanoTime() + CONNECTION_WAIT.toNanos();
        synchronized (connections) {
            while (connections.size() <= index) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new AssertionError("no connection " + index + " within " + CONNECTION_WAIT);
                }
                try {
                    connections.wait(remainingMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return connections.get(index);
        }
    }

    private void acceptConnections() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Plan plan;
            synchronized (plans) {
                plan = plans.isEmpty() ? Plan.faithful() : plans.poll();
            }
            try {
                Connection connection = new Connection(connections.size(), client, plan);
                synchronized (connections) {
                    connections.add(connection);
                    connections.notifyAll();
                }
                if (closed) {
                    // Accepted while close() was ending the others.
                    connection.end(false);
                }
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Connection connection : connections) {
            connection.end(false);
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(THREADS_END.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the proxy's threads did not end within " + THREADS_END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One proxied connection: the client's socket, the one to the server (none for a black hole), and a pipe per direction. */
    final class Connection {

        private final int index;
        private final Socket client;
        private final Socket server;
        private final Pipe clientToServer;
        private final Pipe serverToClient;
        private final CompletableFuture<Void> clientClosed = new CompletableFuture<>();
        private final CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        private final AtomicInteger pipesDone = new AtomicInteger();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final CountDownLatch endedLatch = new CountDownLatch(1);

        private Connection(int index, Socket client, Plan plan) throws IOException {
            this.index = index;
            this.client = client;
            if (!plan.forwards()) {
                this.server = null;
                this.clientToServer = null;
                this.serverToClient = null;
                return;
            }
            this.server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            this.clientToServer = new Pipe(this, Side.CLIENT, client, server, plan.clientToServer());
            this.serverToClient = new Pipe(this, Side.SERVER, server, client, plan.serverToClient());
            threads.execute(clientToServer);
            threads.execute(serverToClient);
        }

        /** Completes when {@code side} closed or reset its end, as seen by reading from it (never while it is not being read). */
        CompletableFuture<Void> closedBy(Side side) {
            return side == Side.CLIENT ? clientClosed : serverClosed;
        }

        /** WebSocket bytes of {@code direction} forwarded so far (the upgrade head not counted). */
        long forwarded(Direction direction) {
            return pipe(direction).forwarded.get();
        }

        /** Replaces the fault of {@code direction}; its counts start at the next byte. */
        void inject(Direction direction, Fault fault) {
            Pipe pipe = pipe(direction);
            pipe.armed = new Armed(fault, pipe.forwarded.get());
        }

        private Pipe pipe(Direction direction) {
            if (server == null) {
                throw new IllegalStateException("connection " + index + " is a black hole");
            }
            return direction == Direction.CLIENT_TO_SERVER ? clientToServer : serverToClient;
        }

        /** Ends the connection: both sockets reset ({@code reset}) or closed in an orderly way. */
        private void end(boolean reset) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            for (Socket socket : server == null ? List.of(client) : List.of(client, server)) {
                try {
                    if (reset) {
                        socket.setSoLinger(true, 0);
                    } else if (!socket.isClosed()) {
                        socket.shutdownOutput();
                    }
                } catch (IOException ignored) {
                    // Already closed or reset by the peer: closing it below is all that is left.
                }
                closeQuietly(socket);
            }
            endedLatch.countDown();
        }

        /** A direction finished (its source closed, or its target could take no more); when both have, the sockets close. */
        private void pipeDone() {
            if (pipesDone.incrementAndGet() == 2) {
                end(false);
            }
        }

        private void awaitEnd() {
            try {
                endedLatch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "proxied connection " + index;
        }
    }

    /** A fault and where its counts start: the WebSocket bytes the direction had forwarded when it took effect. */
    private record Armed(Fault fault, long start) {
    }

    /** Forwards one direction, applying its fault. */
    private final class Pipe implements Runnable {

        private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

        private final Connection connection;
        private final Side source;
        private final Socket from;
        private final Socket to;
        /** Bytes forwarded after the upgrade head, counted before they are written, so that a peer that has them has seen them counted. */
        private final AtomicLong forwarded = new AtomicLong();
        private volatile Armed armed;
        /** How much of {@link #HEAD_END} the bytes so far end with; 4 once the head has passed. */
        private int headEndMatched;

        Pipe(Connection connection, Side source, Socket from, Socket to, Fault fault) {
            this.connection = connection;
            this.source = source;
            this.from = from;
            this.to = to;
            this.armed = new Armed(fault, 0);
        }

        @Override
        public void run() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int read;
                    try {
                        read = in.read(buffer);
                    } catch (IOException sourceReset) {
                        read = -1;
                    }
                    if (read < 0) {
                        // The source closed or reset its end (unless the proxy ended the connection): the target sees the end of the stream.
                        if (!connection.ended.get()) {
                            connection.closedBy(source).complete(null);
                        }
                        shutdownOutputQuietly(to);
                        break;
                    }
                    int head = headBytes(buffer, read);
                    out.write(buffer, 0, head);
                    if (read > head && !forward(buffer, head, read - head, out)) {
                        break;
                    }
                }
            } catch (IOException targetGone) {
                // The target can take no more, or the proxy ended the connection: this direction is over.
                shutdownInputQuietly(from);
            }
            connection.pipeDone();
        }

        /** How many bytes at the start of the chunk still belong to the upgrade head. */
        private int headBytes(byte[] chunk, int length) {
            int i = 0;
            while (headEndMatched < HEAD_END.length && i < length) {
                byte next = chunk[i++];
                if (next == HEAD_END[headEndMatched]) {
                    headEndMatched++;
                } else {
                    headEndMatched = next == HEAD_END[0] ? 1 : 0;
                }
            }
            return i;
        }

        /** Forwards WebSocket bytes under the fault in force; false when the fault ended this direction. */
        private boolean forward(byte[] chunk, int offset, int length, OutputStream out) throws IOException {
            Armed current = armed;
            Fault fault = current.fault();
            long position = forwarded.get() - current.start();
            if (fault instanceof Delay delay) {
                pause(delay.latency().toNanos());
            } else if (fault instanceof Bandwidth bandwidth) {
                pause(length * 1_000_000_000L / bandwidth.bytesPerSecond());
            } else if (fault instanceof FlipBit flip && flip.offset() >= position && flip.offset() < position + length) {
                chunk[offset + (int) (flip.offset() - position)] ^= (byte) (1 << flip.bit());
            }
            long limit = fault instanceof Cut cut ? cut.after()
                    : fault instanceof Reset reset ? reset.after()
                    : fault instanceof StopReading stop ? stop.after()
                    : Long.MAX_VALUE;
            int allowed = (int) Math.max(0, Math.min(length, limit - position));
            write(out, chunk, offset, allowed);
            if (position + allowed < limit) {
                return true;
            }
            if (fault instanceof StopReading) {
                connection.awaitEnd();
            } else {
                connection.end(fault instanceof Reset);
            }
            return false;
        }

        private void write(OutputStream out, byte[] chunk, int offset, int length) throws IOException {
            if (length > 0) {
                forwarded.addAndGet(length);
                out.write(chunk, offset, length);
                out.flush();
            }
        }

        private static void pause(long nanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void shutdownOutputQuietly(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException ignored) {
            // Already closed: the peer has seen the end.
        }
    }

    private static void shutdownInputQuietly(Socket socket) {
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing is best effort: the test only needs the socket gone.
        }
    }
}
