package dev.securechannel.internal.connection;

import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A fake transport: keeps each frame sent until {@link #deliverTo} hands it on, records every
 * close, and refuses the {@code failingSend}-th send when told to.
 */
final class MemoryTransport implements ConnectionTransport {

    /** One close of the transport. */
    record Close(int code, String reason) {
    }

    private final Queue<byte[]> outbox = new ArrayDeque<>();
    private final List<Close> closes = new ArrayList<>();
    private int sends;
    private int failingSend = -1;

    @Override
    public synchronized void send(byte[] frame) throws IOException {
        if (++sends == failingSend) {
            throw new IOException("send refused");
        }
        outbox.add(frame);
    }

    @Override
    public synchronized void close(int code, String reason) {
        closes.add(new Close(code, reason));
    }

    @Override
    public String remoteAddress() {
        return "memory";
    }

    /** Makes the {@code send}-th send (1-based) throw. */
    synchronized void failSend(int send) {
        failingSend = send;
    }

    /** The next frame sent and not yet delivered, or null. */
    synchronized byte[] take() {
        return outbox.poll();
    }

    /** Hands the frames sent so far to {@code peer}, one event at a time; whether there were any. */
    boolean deliverTo(Connection peer) {
        boolean any = false;
        for (byte[] frame = take(); frame != null; frame = take()) {
            peer.onBinaryMessage(frame);
            any = true;
        }
        return any;
    }

    synchronized List<Close> closes() {
        return List.copyOf(closes);
    }
}
