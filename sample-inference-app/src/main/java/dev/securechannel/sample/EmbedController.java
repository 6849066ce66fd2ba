package dev.securechannel.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /embed}: the same model over plain HTTP, for comparison with the secure channel
 * and for clients without it. Accepts {@code {"texts": ["...", ...]}} (each text one sentence)
 * or {@code {"text": "..."}} (one sentence per line, exactly like a Data frame), and answers
 * {@code {"embeddings": [[...]], "dimension": 384, "count": n, "inferenceMillis": t}}.
 * Input the service cannot embed gets 400 with {@code {"error": "..."}}; a full model queue
 * gets 503.
 *
 * <p>The body is taken as bytes and decoded here, so that invalid UTF-8 gets the same clear
 * answer as on the secure channel rather than a generic parse failure.
 */
@RestController
public class EmbedController {

    private final SentenceEmbedder embedder;
    private final InferenceExecutor executor;
    private final JsonMapper json;

    /**
     * @param embedder the model
     * @param executor the model's threads (WebFlux's event loop must not run it)
     * @param json     the application's JSON mapper
     */
    public EmbedController(SentenceEmbedder embedder, InferenceExecutor executor, JsonMapper json) {
        this.embedder = embedder;
        this.executor = executor;
        this.json = json;
    }

    /** Embeds the request's sentences. */
    @PostMapping(path = "/embed", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Object>> embed(@RequestBody(required = false) byte @Nullable [] body) {
        List<String> sentences;
        try {
            sentences = parse(body == null ? new byte[0] : body);
        } catch (InvalidInputException e) {
            return Mono.just(error(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        CompletableFuture<SentenceEmbedder.Result> result;
        try {
            result = executor.submit(() -> embedder.embed(sentences, Transport.REST));
        } catch (RejectedExecutionException e) {
            return Mono.just(error(HttpStatus.SERVICE_UNAVAILABLE, "busy: the model has too many requests waiting; retry shortly"));
        }
        return Mono.fromFuture(result).map(embedded -> ResponseEntity.ok(new EmbedResponse(
                Arrays.asList(embedded.vectors()), SentenceEmbedder.DIMENSION, embedded.vectors().length,
                embedded.inferenceMillis())));
    }

    private List<String> parse(byte[] body) throws InvalidInputException {
        if (body.length == 0) {
            throw new InvalidInputException("empty input: send {\"texts\": [\"a sentence\", ...]} or {\"text\": \"one sentence per line\"}");
        }
        JsonNode request;
        try {
            request = json.readTree(SentenceInput.decodeStrictly(body));
        } catch (JacksonException e) {
            throw new InvalidInputException("request body is not JSON: send {\"texts\": [\"a sentence\", ...]} or {\"text\": \"...\"}");
        }
        JsonNode text = request.get("text");
        JsonNode texts = request.get("texts");
        if (!request.isObject() || (text == null) == (texts == null)) {
            throw new InvalidInputException("send a JSON object with exactly one of \"text\" (a string) or \"texts\" (an array of strings)");
        }
        if (text != null) {
            if (!text.isString()) {
                throw new InvalidInputException("\"text\" must be a string");
            }
            return SentenceInput.fromText(text.asString());
        }
        if (!texts.isArray()) {
            throw new InvalidInputException("\"texts\" must be an array of strings");
        }
        List<String> sentences = new ArrayList<>(texts.size());
        for (JsonNode element : texts) {
            if (!element.isString()) {
                throw new InvalidInputException("\"texts\" must be an array of strings");
            }
            sentences.add(element.asString());
        }
        return SentenceInput.fromList(sentences);
    }

    private static ResponseEntity<Object> error(HttpStatus status, @Nullable String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorResponse(String.valueOf(message)));
    }

    /**
     * A successful answer.
     *
     * @param embeddings      one unit-length vector per sentence, in request order
     * @param dimension       elements per vector (384)
     * @param count           number of vectors
     * @param inferenceMillis the model's time for the request
     */
    public record EmbedResponse(List<float[]> embeddings, int dimension, int count, double inferenceMillis) {
    }

    /**
     * A refused request.
     *
     * @param error what is wrong, phrased for the client
     */
    public record ErrorResponse(String error) {
    }
}
