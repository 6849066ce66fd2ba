package dev.securechannel.attestation.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The failure vocabulary: metrics tags, layers and the exception's shape. */
class SnpFailureTest {

    @Test
    @DisplayName("tag values are the names in lower case with hyphens, unique and tag-safe")
    void tagValues() {
        assertThat(SnpFailure.TCB_BELOW_MINIMUM.tagValue()).isEqualTo("tcb-below-minimum");
        assertThat(SnpFailure.REPORT_SIG_INVALID.tagValue()).isEqualTo("report-sig-invalid");
        assertThat(Arrays.stream(SnpFailure.values()).map(SnpFailure::tagValue)).doesNotHaveDuplicates()
                .allMatch(tag -> tag.matches("[a-z0-9-]+"));
    }

    @Test
    @DisplayName("layers follow the reference's grouping")
    void layers() {
        assertThat(SnpFailure.WIRE_TRUNCATED.layer()).isEqualTo(SnpFailure.Layer.PARSE);
        assertThat(SnpFailure.REPORT_SIG_INVALID.layer()).isEqualTo(SnpFailure.Layer.CRYPTO);
        assertThat(SnpFailure.ARK_NOT_KNOWN.layer()).isEqualTo(SnpFailure.Layer.CHAIN);
        assertThat(SnpFailure.CRL_EXPIRED.layer()).isEqualTo(SnpFailure.Layer.CHAIN);
        assertThat(SnpFailure.DEBUG_GUEST_REJECTED.layer()).isEqualTo(SnpFailure.Layer.POLICY);
    }

    @Test
    @DisplayName("the exception carries ATTESTATION_VERIFICATION_FAILED, the failure, a readable message and the cause")
    void exceptionShape() {
        IllegalStateException cause = new IllegalStateException("inner");
        SnpVerificationException exception = new SnpVerificationException(SnpFailure.CRL_EXPIRED, "nextUpdate passed", cause);
        assertThat(exception.reason()).isEqualTo(FailureReason.ATTESTATION_VERIFICATION_FAILED);
        assertThat(exception.failure()).isEqualTo(SnpFailure.CRL_EXPIRED);
        assertThat(exception.getMessage()).isEqualTo("attestation verification failed: CRL_EXPIRED: nextUpdate passed");
        assertThat(exception.getCause()).isSameAs(cause);
        assertThat(exception.detailCode()).as("the metrics and actuator detail").isEqualTo("crl-expired");
    }
}
