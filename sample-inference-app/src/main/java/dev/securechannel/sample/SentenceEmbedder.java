package dev.securechannel.sample;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384 floats each, unit length), with the model's time
 * recorded per transport as the timer {@value #TIMER} so that dashboards can show model time
 * beside the channel's own seal, open and round-trip times.
 *
 * <p>Thread-safe (ONNX Runtime sessions may run concurrently), but calls are blocking and
 * CPU-bound: callers run them on the inference executor, never on a network event loop.
 */
public final class SentenceEmbedder {

    /** The Micrometer timer of model time, tagged {@code transport}. */
    public static final String TIMER = "sample.inference";

    /** Elements in one embedding. */
    public static final int DIMENSION = 384;

    private final EmbeddingModel model;
    private final Map<Transport, Timer> timers = new EnumMap<>(Transport.class);

    /**
     * Registers one timer per transport up front, so that every dashboard series exists before
     * the first request.
     */
    public SentenceEmbedder(EmbeddingModel model, MeterRegistry registry) {
        this.model = model;
        for (Transport transport : Transport.values()) {
            timers.put(transport, Timer.builder(TIMER)
                    .description("Time the embedding model takes for one request (all of its sentences)")
                    .tag("transport", transport.tagValue())
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
    }

    /** Embeds each sentence, recording the time under {@code transport}. */
    public Result embed(List<String> sentences, Transport transport) {
        long begin = System.nanoTime();
        float[][] vectors = embedUntimed(sentences);
        long nanos = System.nanoTime() - begin;
        timers.get(transport).record(Duration.ofNanos(nanos));
        return new Result(vectors, nanos);
    }

    /**
     * Embeds one sentence without recording it: the start-up warm-up, which pays for ONNX
     * Runtime's first-run graph optimisation and the tokenizer's native library load.
     */
    public Duration warmUp() {
        long begin = System.nanoTime();
        embedUntimed(List.of("The model is warming up."));
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private float[][] embedUntimed(List<String> sentences) {
        List<TextSegment> segments = new ArrayList<>(sentences.size());
        for (String sentence : sentences) {
            segments.add(TextSegment.from(sentence));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = embeddings.get(i).vector();
        }
        return vectors;
    }

    /**
     * One request's embeddings.
     *
     * @param vectors         one {@value #DIMENSION}-float vector per sentence, in input order
     * @param inferenceNanos  the model's time for all of them
     */
    public record Result(float[][] vectors, long inferenceNanos) {

        /** The vectors as one row-major array, the data of an {@code [n, 384]} tensor. */
        public float[] flattened() {
            float[] all = new float[vectors.length * DIMENSION];
            for (int i = 0; i < vectors.length; i++) {
                System.arraycopy(vectors[i], 0, all, i * DIMENSION, DIMENSION);
            }
            return all;
        }

        /** The model time in milliseconds. */
        public double inferenceMillis() {
            return inferenceNanos / 1e6;
        }
    }
}
