package dev.securechannel.internal.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;

/**
 * What the guest reads from the host and from the vTPM: the certificate table the hypervisor
 * hands over with an extended report, and TPM 2.0 responses. Contract for any bytes: an
 * {@link SnpEvidenceException} (a {@link TpmResponseException} for a TPM error code) is the only
 * failure, and nothing parsed holds more bytes than arrived: declared lengths are checked
 * against the input before anything is allocated for them.
 */
class GuestEvidenceParsersFuzzTest {

    /** The NV index Azure's vTPM keeps the HCL report in. */
    private static final int HCL_REPORT_INDEX = 0x01400001;

    @FuzzTest(maxDuration = "10m")
    void certificateTableParsesWithinItsBytesOrFailsTyped(byte[] table) {
        SnpCertificateTable parsed;
        try {
            parsed = SnpCertificateTable.parse(table);
        } catch (SnpEvidenceException refused) {
            return;
        }
        long held = parsed.entries().stream().mapToLong(entry -> entry.data().length).sum();
        assertThat(held).isLessThanOrEqualTo(table.length);
        assertThat(parsed.certificates().size()).isLessThanOrEqualTo(parsed.entries().size());
        assertThat(parsed.isEmpty()).isEqualTo(parsed.entries().isEmpty());
        parsed.hasCompleteChain();
        parsed.toString();
    }

    @FuzzTest(maxDuration = "10m")
    void tpmResponsesParseWithinTheirBytesOrFailTyped(byte[] response) {
        try {
            NvPublic nvPublic = Tpm2Commands.parseNvReadPublic(HCL_REPORT_INDEX, response);
            assertThat(nvPublic.nvIndex()).isEqualTo(HCL_REPORT_INDEX);
            assertThat(nvPublic.authPolicy().length).isLessThan(response.length);
        } catch (SnpEvidenceException refused) {
            // Typed, as required.
        }
        try {
            Tpm2Commands.parseTpmProperty(response, Tpm2Commands.TPM_PT_NV_BUFFER_MAX);
        } catch (SnpEvidenceException refused) {
            // Typed, as required.
        }
        try {
            byte[] data = Tpm2Commands.parseNvRead(HCL_REPORT_INDEX, response);
            assertThat(data.length).isLessThanOrEqualTo(response.length - Tpm2Commands.HEADER_SIZE - 6);
        } catch (SnpEvidenceException refused) {
            // Typed, as required.
        }
    }
}
