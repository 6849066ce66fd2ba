package dev.securechannel.bench.soak;

import dev.securechannel.SecureChannelException;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One simulated client of a soak: opens a session, uses it for a random number of data
 * requests (random sizes up to the frame cap, numbered so that the server can check their
 * order), tensor requests and heartbeats, pauses at random, closes it, and starts over until
 * told to stop. Some sessions go through the {@link CuttingRelay}, whose reset makes the client
 * vanish in the handshake or in the middle of a message.
 *
 * <p>A session over the direct connection must answer every request with exactly what was
 * sent; anything else is a failure. A relayed session may fail, but only with the library's
 * typed errors ({@link SecureChannelException}, {@link IOException}).
 */
final class ChurnWorker implements Runnable {

    /** Per-run counters, shared by all workers and read by the sampler. */
    static final class Counters {
        final AtomicLong sessionsOpened = new AtomicLong();
        final AtomicLong requestsAnswered = new AtomicLong();
        final AtomicLong tensorsAnswered = new AtomicLong();
        final AtomicLong heartbeats = new AtomicLong();
        final AtomicLong vanishedInHandshake = new AtomicLong();
        final AtomicLong vanishedInSession = new AtomicLong();
        final AtomicLong clientSessionsOpen = new AtomicLong();
        /** Direct sessions that failed, wrong answers, untyped exceptions: each must stay 0. */
        final AtomicLong failures = new AtomicLong();
        volatile String firstFailure;

        void fail(String what) {
            if (failures.incrementAndGet() == 1) {
                firstFailure = what;
            }
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int SEQUENCE_BYTES = Long.BYTES;

    private final SecureChannelClient direct;
    private final SecureChannelClient relayed;
    private final double vanishShare;
    private final int maxPayload;
    private final byte[] pattern;
    private final SplittableRandom random;
    private final Counters counters;
    private final BooleanSupplier stopping;

    ChurnWorker(SecureChannelClient direct, SecureChannelClient relayed, double vanishShare, int maxPayload, long seed,
                Counters counters, BooleanSupplier stopping) {
        this.direct = direct;
        this.relayed = relayed;
        this.vanishShare = vanishShare;
        this.maxPayload = maxPayload;
        this.random = new SplittableRandom(seed);
        this.pattern = new byte[maxPayload];
        random.nextBytes(pattern);
        this.counters = counters;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        while (!stopping.getAsBoolean()) {
            boolean vanishing = random.nextDouble() < vanishShare;
            try {
                if (vanishing) {
                    relayedSession();
                } else {
                    directSession();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                counters.fail((vanishing ? "relayed" : "direct") + " session: untyped " + e);
            }
        }
    }

    private void directSession() throws InterruptedException {
        try (ClientSession session = direct.connect()) {
            opened();
            try {
                converse(session);
            } finally {
                counters.clientSessionsOpen.decrementAndGet();
            }
        } catch (SecureChannelException | IOException e) {
            counters.fail("direct session: " + e);
        }
    }

    private void relayedSession() throws InterruptedException {
        ClientSession session;
        try {
            session = relayed.connect();
        } catch (SecureChannelException | IOException e) {
            counters.vanishedInHandshake.incrementAndGet();
            return;
        }
        opened();
        try {
            converse(session);
        } catch (SecureChannelException | IOException e) {
            counters.vanishedInSession.incrementAndGet();
        } finally {
            counters.clientSessionsOpen.decrementAndGet();
            session.close();
        }
    }

    private void opened() {
        counters.sessionsOpened.incrementAndGet();
        counters.clientSessionsOpen.incrementAndGet();
    }

    /** A random conversation: data, tensors and heartbeats, with short pauses. */
    private void converse(ClientSession session) throws IOException, InterruptedException {
        int operations = 1 + random.nextInt(30);
        long sequence = 0;
        for (int i = 0; i < operations && !stopping.getAsBoolean(); i++) {
            double pick = random.nextDouble();
            if (pick < 0.70) {
                dataRequest(session, sequence++);
            } else if (pick < 0.85) {
                tensorRequest(session);
            } else if (pick < 0.95) {
                session.sendHeartbeat();
                counters.heartbeats.incrementAndGet();
            } else {
                Thread.sleep(random.nextInt(200));
            }
        }
    }

    private void dataRequest(ClientSession session, long sequence) throws IOException, InterruptedException {
        byte[] payload = Arrays.copyOf(pattern, logUniformSize());
        ByteBuffer.wrap(payload).putLong(sequence);
        Message reply = session.request(payload, REQUEST_TIMEOUT);
        if (!(reply instanceof Message.Data data) || !Arrays.equals(data.payload(), payload)) {
            counters.fail("request " + sequence + " of " + payload.length + " bytes answered with " + reply);
            return;
        }
        counters.requestsAnswered.incrementAndGet();
    }

    private void tensorRequest(ClientSession session) throws IOException, InterruptedException {
        int rows = 1 + random.nextInt(64);
        int columns = 1 + random.nextInt(384);
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        Tensor sent = Tensor.ofFloats("hidden", new long[] {rows, columns}, values);
        Message reply = session.request(sent, REQUEST_TIMEOUT);
        if (!(reply instanceof Message.TensorMessage echoed) || !sameTensor(sent, echoed.tensor())) {
            counters.fail("tensor " + rows + "x" + columns + " answered with " + reply);
            return;
        }
        counters.tensorsAnswered.incrementAndGet();
    }

    private static boolean sameTensor(Tensor a, Tensor b) {
        return a.name().equals(b.name()) && a.dtype() == b.dtype() && Arrays.equals(a.shape(), b.shape())
                && a.data().equals(b.data());
    }

    /** A size between the sequence number and the cap, equally likely in each power of two. */
    private int logUniformSize() {
        double exponent = random.nextDouble() * (Math.log(maxPayload) - Math.log(SEQUENCE_BYTES));
        return (int) Math.min(maxPayload, Math.round(SEQUENCE_BYTES * Math.exp(exponent)));
    }
}
