package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample app's MiniLM inference times, for the report's "Real-world impact" section: read
 * from an optional JSON file ({@code bench/target/minilm-inference.json} by default), written by
 * whoever measured them. Fields (times are medians in milliseconds):
 * <pre>{@code
 * {
 *   "model": "all-MiniLM-L6-v2",          // optional label
 *   "singleSentenceMillisP50": 4.2,         // required: in-process inference of one sentence
 *   "batch32MillisP50": 38.0,               // optional: a batch of 32 sentences
 *   "secureRoundTripMillisP50": 5.1,        // optional: one sentence end to end over the secure channel
 *   "restRoundTripMillisP50": 4.9,          // optional: the same over plain REST
 *   "source": "how and where it was measured" // optional free text
 * }
 * }</pre>
 *
 * @param model                    the model's name
 * @param singleSentenceMillis     one sentence
 * @param batch32Millis            a batch of 32, NaN if not measured
 * @param secureRoundTripMillis    end to end over the secure channel, NaN if not measured
 * @param restRoundTripMillis      end to end over REST, NaN if not measured
 * @param source                   how it was measured
 */
public record InferenceTimes(String model, double singleSentenceMillis, double batch32Millis,
                             double secureRoundTripMillis, double restRoundTripMillis, String source) {

    /**
     * Reads the file; null when it does not exist.
     *
     * @throws IOException when it exists but is not JSON or lacks a positive {@code singleSentenceMillisP50}
     */
    public static @Nullable InferenceTimes read(@Nullable Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        JsonNode node;
        try {
            node = JsonMapper.builder().build().readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        double single = millis(node, "singleSentenceMillisP50");
        if (!(single > 0)) {
            throw new IOException(file + " has no positive singleSentenceMillisP50");
        }
        return new InferenceTimes(
                node.hasNonNull("model") ? node.path("model").asString() : "all-MiniLM-L6-v2",
                single, millis(node, "batch32MillisP50"), millis(node, "secureRoundTripMillisP50"),
                millis(node, "restRoundTripMillisP50"),
                node.hasNonNull("source") ? node.path("source").asString() : file.getFileName().toString());
    }

    private static double millis(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() && value.doubleValue() > 0 ? value.doubleValue() : Double.NaN;
    }
}
