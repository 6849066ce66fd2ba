package dev.securechannel.autoconfigure;

import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * The range checks the starter's properties classes apply while Spring Boot binds them. Each
 * rejection is a field error on the object being bound, so Boot's bind validation report
 * names the property, its value, its origin (file and line) and, as the reason, the allowed
 * range; this class is shared by the properties classes of the starter and is not an API.
 */
public final class PropertyConstraints {

    private static final String CODE = "secureChannel.invalid";

    private PropertyConstraints() {
    }

    /** Rejects a missing or non-positive duration. */
    public static void positive(Errors errors, String field, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, CODE, "must be a positive duration, for example 30s");
        }
    }

    /** Rejects a missing or negative duration. */
    public static void notNegative(Errors errors, String field, @Nullable Duration value, String zeroMeans) {
        if (value == null || value.isNegative()) {
            errors.rejectValue(field, CODE, "must be zero (" + zeroMeans + ") or a positive duration, for example 5m");
        }
    }

    /** Rejects a number outside {@code min..max}. */
    public static void within(Errors errors, String field, long value, long min, long max) {
        if (value < min || value > max) {
            errors.rejectValue(field, CODE, "must be between " + min + " and " + max);
        }
    }

    /** Rejects a number below {@code min}. */
    public static void atLeast(Errors errors, String field, long value, long min) {
        if (value < min) {
            errors.rejectValue(field, CODE, "must be at least " + min);
        }
    }

    /** Rejects a missing size or one outside {@code min..max}; {@code range} says the range in the user's units. */
    public static void sizeWithin(Errors errors, String field, @Nullable DataSize value, long minBytes, long maxBytes, String range) {
        if (value == null || value.toBytes() < minBytes || value.toBytes() > maxBytes) {
            errors.rejectValue(field, CODE, "must be " + range);
        }
    }

    /**
     * Rejects a value that is not hex of exactly {@code bytes} bytes. An unresolved
     * {@code ${...}} placeholder is named as such, as it is the usual cause (a missing
     * environment variable).
     */
    public static void hexOfLength(Errors errors, String field, @Nullable String value, int bytes) {
        String expected = "must be " + bytes + " bytes of hex (" + (2 * bytes) + " hex digits)";
        if (value == null || value.isBlank()) {
            errors.rejectValue(field, CODE, expected + ", not empty");
            return;
        }
        String trimmed = value.strip();
        if (trimmed.contains("${")) {
            errors.rejectValue(field, CODE, expected + unresolvedPlaceholder(trimmed));
            return;
        }
        byte[] parsed;
        try {
            parsed = HexFormat.of().parseHex(trimmed);
        } catch (IllegalArgumentException notHex) {
            errors.rejectValue(field, CODE, expected + "; it is not hex");
            return;
        }
        if (parsed.length != bytes) {
            errors.rejectValue(field, CODE, expected + ", not " + parsed.length + " bytes");
        }
    }

    /**
     * Rejects a value for a reason found by the rules that own it (the core's), adding that an
     * unresolved {@code ${...}} placeholder in the value is the likely cause.
     */
    public static void reject(Errors errors, String field, @Nullable String value, String reason) {
        boolean placeholder = value != null && value.contains("${");
        errors.rejectValue(field, CODE, placeholder ? reason + unresolvedPlaceholder(value.strip()) : reason);
    }

    private static String unresolvedPlaceholder(String value) {
        return "; the placeholder " + value + " was not resolved (set the environment variable or property it names)";
    }
}
