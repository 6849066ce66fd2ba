package dev.securechannel.sample;

import dev.securechannel.SecureChannelException;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secure-channel side of the service: a Data frame of UTF-8 text is answered with an F32
 * tensor named {@value #TENSOR_NAME}, shape {@code [384]} for one line and {@code [n, 384]} for
 * n lines. Input the service cannot embed, and every Tensor frame, is answered with an Error
 * frame naming the problem; the session stays open.
 *
 * <p>The transport calls this on its own thread (a Reactor Netty event loop in this app), so
 * nothing slow happens here: each message becomes a job on the session's {@link RequestLane}
 * and the model thread sends the reply, in request order.
 */
public final class EmbeddingHandler implements SecureChannelHandler {

    /** The name of every reply tensor. */
    public static final String TENSOR_NAME = "embedding";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingHandler.class);
    private static final String LANE = RequestLane.class.getName();

    private final SentenceEmbedder embedder;
    private final Executor inferenceExecutor;
    private final int maxQueuedPerSession;

    /**
     * @param embedder            the model
     * @param inferenceExecutor   the bounded executor that runs the model and sends replies
     * @param maxQueuedPerSession requests one session may have waiting
     */
    public EmbeddingHandler(SentenceEmbedder embedder, Executor inferenceExecutor, int maxQueuedPerSession) {
        this.embedder = embedder;
        this.inferenceExecutor = inferenceExecutor;
        this.maxQueuedPerSession = maxQueuedPerSession;
    }

    @Override
    public void onMessage(SecureSession session, Message message) throws IOException {
        Runnable job;
        if (message instanceof Message.Data data) {
            job = () -> embed(session, data.payload());
        } else if (message instanceof Message.TensorMessage tensor) {
            job = () -> reply(session, unsupported(tensor.tensor()));
        } else {
            // Heartbeats need no answer; an Error from the client is its own business.
            return;
        }
        RequestLane lane = (RequestLane) session.attributes()
                .computeIfAbsent(LANE, key -> new RequestLane(inferenceExecutor, maxQueuedPerSession));
        switch (lane.offer(job)) {
            case QUEUED -> { }
            case EXECUTOR_FULL -> session.sendError("busy: the model has too many requests waiting; retry shortly");
            case SESSION_FULL -> {
                // Replies would otherwise pile up without bound for a client that does not read them.
                session.sendError("too many requests in flight on this session (at most " + maxQueuedPerSession
                        + "); wait for replies before sending more");
                session.shutdown();
            }
        }
    }

    private void embed(SecureSession session, byte[] payload) {
        if (!session.isOpen()) {
            return;
        }
        List<String> sentences;
        try {
            sentences = SentenceInput.fromUtf8(payload);
        } catch (InvalidInputException e) {
            reply(session, e.getMessage());
            return;
        }
        SentenceEmbedder.Result result;
        try {
            result = embedder.embed(sentences, Transport.SECURE_CHANNEL);
        } catch (RuntimeException e) {
            LOG.error("Inference failed", e);
            reply(session, "internal error: the model failed on this input");
            return;
        }
        long[] shape = sentences.size() == 1
                ? new long[] {SentenceEmbedder.DIMENSION}
                : new long[] {sentences.size(), SentenceEmbedder.DIMENSION};
        try {
            session.sendTensor(Tensor.ofFloats(TENSOR_NAME, shape, result.flattened()));
        } catch (IOException | SecureChannelException e) {
            // The session ended while the model ran; the client is gone.
            LOG.debug("No reply sent to session {}: {}", session.displayId(), e.toString());
        }
    }

    private static String unsupported(Tensor tensor) {
        return "tensor input is not accepted (got " + tensor.dtype() + " " + Arrays.toString(tensor.shape()) + " named '"
                + abbreviate(tensor.name()) + "'): send UTF-8 text in a Data frame, one sentence per line";
    }

    private static void reply(SecureSession session, String error) {
        try {
            session.sendError(error);
        } catch (IOException | SecureChannelException e) {
            LOG.debug("No error reply sent to session {}: {}", session.displayId(), e.toString());
        }
    }

    private static String abbreviate(String name) {
        return name.length() <= 32 ? name : name.substring(0, 32) + "...";
    }
}
