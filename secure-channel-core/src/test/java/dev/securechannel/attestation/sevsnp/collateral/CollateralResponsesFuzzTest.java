package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bodies AMD's KDS and Azure's IMDS answer with, fed to the same parsing code the clients
 * run on a response (the network left out). Contract for any bytes: an {@link IOException} is
 * the only failure, so a bad answer is a collateral source failing, never a runtime exception
 * escaping into the verifier; what parses is usable. KDS's {@code Retry-After} header, whatever
 * it says, is a wait between zero and the client's cap, exact for either form RFC 9110 defines.
 */
class CollateralResponsesFuzzTest {

    /** The instant a 429 arrives at in the Retry-After target: HTTP-dates are counted from it. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** The span an IMF-fixdate can spell, four-digit years only. */
    private static final long FIRST_DATE = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_DATE = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    /** RFC 9110's preferred HTTP-date form, which is what KDS sends when it sends a date. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** Decimal digits Long.parseLong reads that RFC 9110's DIGIT (ASCII only) is not: fullwidth, Arabic-Indic, Devanagari. */
    private static final char[] NON_ASCII_ZEROS = {'\uFF10', '\u0660', '\u0966'};
    private static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(AmdKdsClient.DEFAULT_BACKOFF_SECONDS);

    @FuzzTest(maxDuration = "10m")
    void kdsCertificatesAndCrlsParseOrFailWithIoException(byte[] body) {
        try {
            List<X509Certificate> certificates = X509Parsing.certificates(body, "fuzzed KDS body");
            assertThat(certificates).isNotEmpty();
            for (X509Certificate certificate : certificates) {
                X509Parsing.subjectCommonName(certificate);
                X509Parsing.issuerCommonName(certificate);
                X509Parsing.isSignedBy(certificate, certificate);
            }
        } catch (IOException refused) {
            // The only failure allowed.
        }
        try {
            X509CRL crl = X509Parsing.crl(body, "fuzzed KDS CRL");
            assertThat(crl).isNotNull();
        } catch (IOException refused) {
            // The only failure allowed.
        }
    }

    @FuzzTest(maxDuration = "10m")
    void imdsCertificationParsesOrFailsWithIoException(byte[] body) {
        ThimCertification certification;
        try {
            certification = ImdsThimClient.certification(body);
        } catch (IOException refused) {
            return;
        }
        assertThat(certification.tcbRaw()).hasSize(8);
        assertThat(certification.pemChain()).startsWith(certification.vcekCert());
        try {
            assertThat(certification.certificates()).isNotEmpty();
        } catch (IOException refused) {
            // The certificate text may still be anything.
        }
    }

    /**
     * Input layout: {@code u8 form | u8 padding | i64 number | UTF-8 text}. Form 0: no header.
     * 1: delta-seconds, the text's ASCII digits ({@code 0} if none), however many. 2: an
     * IMF-fixdate {@code number} seconds from now (reduced to the four-digit years). 3: a number
     * that is not delta-seconds: the digits signed, or with a non-ASCII digit. 4: the text as it
     * is. Padding bits 0 and 1 put optional whitespace (SP, HTAB) before and after forms 1 to 3.
     */
    @FuzzTest(maxDuration = "10m")
    void kdsRetryAfterIsABoundedWaitOrTheDefault(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        int form = in.hasRemaining() ? (in.get() & 0xFF) % 5 : 0;
        int padding = in.hasRemaining() ? in.get() : 0;
        long number = in.remaining() >= Long.BYTES ? in.getLong() : 0;
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        String text = new String(rest, StandardCharsets.UTF_8);
        String digits = text.chars().filter(c -> c >= '0' && c <= '9')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (digits.isEmpty()) {
            digits = "0";
        }

        String header;
        Duration expected;
        switch (form) {
            case 0 -> {
                header = null;
                expected = DEFAULT_BACKOFF;
            }
            case 1 -> {
                header = digits;
                expected = Duration.ofSeconds(new BigInteger(digits).min(BigInteger.valueOf(AmdKdsClient.MAX_BACKOFF.getSeconds())).longValueExact());
            }
            case 2 -> {
                long at = FIRST_DATE + Math.floorMod(number, LAST_DATE - FIRST_DATE + 1);
                header = IMF_FIXDATE.format(Instant.ofEpochSecond(at));
                expected = clamp(Duration.ofSeconds(at - NOW.getEpochSecond()));
            }
            case 3 -> {
                int variant = Math.floorMod(number, 2 + NON_ASCII_ZEROS.length);
                if (variant < 2) {
                    header = (variant == 0 ? "+" : "-") + digits;
                } else {
                    char zero = NON_ASCII_ZEROS[variant - 2];
                    header = (char) (zero + (digits.charAt(0) - '0')) + digits.substring(1);
                }
                expected = DEFAULT_BACKOFF;
            }
            default -> {
                header = text;
                expected = null;
            }
        }
        if (header != null && form != 4) {
            header = ((padding & 1) != 0 ? " \t" : "") + header + ((padding & 2) != 0 ? "\t " : "");
        }

        Duration wait = AmdKdsClient.retryAfter(Optional.ofNullable(header), NOW);
        assertThat(wait).as("Retry-After %s", header).isBetween(Duration.ZERO, AmdKdsClient.MAX_BACKOFF);
        if (expected != null) {
            assertThat(wait).as("Retry-After %s", header).isEqualTo(expected);
        }
    }

    private static Duration clamp(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(AmdKdsClient.MAX_BACKOFF) > 0 ? AmdKdsClient.MAX_BACKOFF : wait;
    }
}
