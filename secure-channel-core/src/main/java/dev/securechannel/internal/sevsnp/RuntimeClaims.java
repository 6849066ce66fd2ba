package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * The Azure runtime claims, parsed strictly from the exact bytes REPORT_DATA hashes: one JSON
 * object, UTF-8, no duplicate keys at any depth, nothing after it.
 */
final class RuntimeClaims {

    private static final String USER_DATA = "user-data";

    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, String> flattened;
    private final @Nullable String userData;

    private RuntimeClaims(Map<String, String> flattened, @Nullable String userData) {
        this.flattened = Collections.unmodifiableMap(flattened);
        this.userData = userData;
    }

    /**
     * @throws SnpVerificationException RUNTIME_CLAIMS_INVALID, or USER_DATA_INVALID when
     *                                  {@code user-data} is not a string
     */
    static RuntimeClaims parse(byte[] claims) {
        Map<String, String> flattened = new LinkedHashMap<>();
        JsonToken userDataToken = null;
        String userData = null;
        try (JsonParser parser = STRICT_JSON.createParser(ObjectReadContext.empty(), claims)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SnpVerificationException(SnpFailure.RUNTIME_CLAIMS_INVALID, "runtime claims are not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (USER_DATA.equals(name)) {
                    userDataToken = value;
                    userData = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                }
                flatten(parser, value, name, flattened);
            }
            if (parser.nextToken() != null) {
                throw new SnpVerificationException(SnpFailure.RUNTIME_CLAIMS_INVALID, "content after the runtime claims object");
            }
        } catch (JacksonException e) {
            throw new SnpVerificationException(SnpFailure.RUNTIME_CLAIMS_INVALID, "runtime claims are not strict JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (userDataToken != null && userDataToken != JsonToken.VALUE_STRING) {
            throw new SnpVerificationException(SnpFailure.USER_DATA_INVALID, "user-data is not a string");
        }
        return new RuntimeClaims(flattened, userData);
    }

    /** Every scalar by dotted path, in document order. */
    Map<String, String> flattened() {
        return flattened;
    }

    /** The top-level user-data string. */
    Optional<String> userData() {
        return Optional.ofNullable(userData);
    }

    private static void flatten(JsonParser parser, @Nullable JsonToken token, String path, Map<String, String> into) {
        if (token == null) {
            throw new SnpVerificationException(SnpFailure.RUNTIME_CLAIMS_INVALID, "runtime claims end inside a value");
        }
        switch (token) {
            case START_OBJECT -> {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    flatten(parser, parser.nextToken(), path + "." + name, into);
                }
            }
            case START_ARRAY -> {
                int index = 0;
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    flatten(parser, element, path + "[" + index++ + "]", into);
                }
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL ->
                    into.put(path, parser.getString());
            default -> throw new SnpVerificationException(SnpFailure.RUNTIME_CLAIMS_INVALID, "unexpected JSON token " + token);
        }
    }
}
