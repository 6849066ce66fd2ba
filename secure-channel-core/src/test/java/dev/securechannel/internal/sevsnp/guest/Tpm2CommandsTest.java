package dev.securechannel.internal.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The TPM 2.0 commands byte for byte against SEV-SNP.md section 5.8 (sequences a to f, which the
 * brief's author sent to swtpm), and the response parsers against the responses it shows.
 */
class Tpm2CommandsTest {

    private static final String PASSWORD_SESSION = "00000009 4000000900000000 00";

    @Test
    void nvReadPublicIsFourteenBytesWithoutSessions() {
        assertThat(hex(Tpm2Commands.nvReadPublic(0x01400001))).isEqualTo(bytes("8001 0000000E 00000169 01400001"));
    }

    @Test
    void getCapabilityAsksForOneTpmProperty() {
        assertThat(hex(Tpm2Commands.getTpmProperty(Tpm2Commands.TPM_PT_NV_BUFFER_MAX)))
                .isEqualTo(bytes("8001 00000016 0000017A 00000006 0000012C 00000001"));
    }

    @Test
    void nvReadIsThirtyFiveBytesWithOwnerPasswordSessionThenSizeAndOffset() {
        assertThat(hex(Tpm2Commands.nvRead(0x01400001, 0x400, 0x800)))
                .isEqualTo(bytes("8002 00000023 0000014E 40000001 01400001" + PASSWORD_SESSION + "0400 0800"));
    }

    @Test
    void nvUndefineSpaceIsThirtyOneBytes() {
        assertThat(hex(Tpm2Commands.nvUndefineSpace(0x01400002)))
                .isEqualTo(bytes("8002 0000001F 00000122 40000001 01400002" + PASSWORD_SESSION));
    }

    @Test
    void nvDefineSpaceIsFortyFiveBytesWithMicrosoftsAttributes() {
        assertThat(hex(Tpm2Commands.nvDefineSpace(0x01400002, AzureVtpmReportDevice.USER_DATA_ATTRIBUTES, 64)))
                .isEqualTo(bytes("8002 0000002D 0000012A 40000001" + PASSWORD_SESSION
                        + "0000" // empty TPM2B_AUTH
                        + "000E 01400002 000B 00060006 0000 0040"));
    }

    @Test
    void nvWriteOfSixtyFourBytesIsNinetyNineBytes() {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0xA0 + i);
        }
        byte[] command = Tpm2Commands.nvWrite(0x01400002, data, 0);
        assertThat(command).hasSize(99);
        assertThat(hex(command)).isEqualTo(bytes("8002 00000063 00000137 40000001 01400002" + PASSWORD_SESSION
                + "0040" + HexFormat.of().formatHex(data) + "0000"));
    }

    @Test
    void parsesTheNvReadPublicResponseOfTheDefinedUserDataIndex() {
        String nameDigest = "11".repeat(32);
        byte[] response = HexFormat.of().parseHex(bytes("8001 0000003E 00000000"
                + "000E 01400002 000B 00060006 0000 0040" + "0022 000B" + nameDigest));

        NvPublic nvPublic = Tpm2Commands.parseNvReadPublic(0x01400002, response);

        assertThat(nvPublic.nvIndex()).isEqualTo(0x01400002);
        assertThat(nvPublic.nameAlg()).isEqualTo(Tpm2Commands.TPM_ALG_SHA256);
        assertThat(nvPublic.attributes()).isEqualTo(0x00060006);
        assertThat(nvPublic.authPolicy()).isEmpty();
        assertThat(nvPublic.dataSize()).isEqualTo(64);
    }

    @Test
    void parsesTheNvReadResponseAndIgnoresTheSessionArea() {
        String data = "5A".repeat(64);
        byte[] response = HexFormat.of().parseHex(bytes("8002 00000055 00000000 00000042 0040" + data + "0000010000"));

        assertThat(HexFormat.of().formatHex(Tpm2Commands.parseNvRead(0x01400001, response))).isEqualToIgnoringCase(data);
    }

    @Test
    void parsesTheNvBufferMaxProperty() {
        byte[] response = HexFormat.of().parseHex(bytes("8001 0000001B 00000000 00 00000006 00000001 0000012C 00000400"));

        assertThat(Tpm2Commands.parseTpmProperty(response, Tpm2Commands.TPM_PT_NV_BUFFER_MAX)).isEqualTo(1024);
    }

    @Test
    void anErrorResponseIsATypedExceptionNamingTheResponseCode() {
        byte[] undefinedIndex = HexFormat.of().parseHex(bytes("8001 0000000A 0000018B"));

        assertThatThrownBy(() -> Tpm2Commands.parseNvReadPublic(0x01400002, undefinedIndex))
                .isInstanceOfSatisfying(TpmResponseException.class, e -> {
                    assertThat(e.responseCode()).isEqualTo(0x18B);
                    assertThat(e.commandCode()).isEqualTo(Tpm2Commands.TPM_CC_NV_READ_PUBLIC);
                    assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.TPM_COMMAND_FAILED);
                })
                .hasMessageContaining("TPM2_NV_ReadPublic of 0x01400002")
                .hasMessageContaining("TPM RC 0x0000018B (TPM_RC_HANDLE, handle 1)");
        assertThat(Tpm2Commands.isUndefinedIndex(0x18B)).isTrue();
    }

    @Test
    void namesResponseCodesByTheirFormat() {
        assertThat(Tpm2Commands.describeResponseCode(0x14C)).isEqualTo("TPM_RC_NV_DEFINED");
        assertThat(Tpm2Commands.describeResponseCode(0x149)).isEqualTo("TPM_RC_NV_AUTHORIZATION");
        assertThat(Tpm2Commands.describeResponseCode(0x922)).isEqualTo("TPM_RC_RETRY");
        assertThat(Tpm2Commands.describeResponseCode(0x9A2)).isEqualTo("TPM_RC_BAD_AUTH, session 1");
        assertThat(Tpm2Commands.describeResponseCode(0x1C4)).isEqualTo("TPM_RC_VALUE, parameter 1");
        assertThat(Tpm2Commands.describeResponseCode(0x28B)).isEqualTo("TPM_RC_HANDLE, handle 2");
        assertThat(Tpm2Commands.describeResponseCode(0x000B0005)).isEqualTo("software layer 11, code 0x0005");
    }

    @Test
    void aResponseWhoseSizeDisagreesWithItsHeaderIsMalformed() {
        byte[] truncated = HexFormat.of().parseHex(bytes("8002 00000055 00000000 00000042 0040 5A5A"));

        assertThatThrownBy(() -> Tpm2Commands.parseNvRead(0x01400001, truncated))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.MALFORMED_TPM_RESPONSE))
                .hasMessageContaining("declares 85 bytes but has 18");
    }

    @Test
    void anNvBufferLargerThanItsParametersIsMalformed() {
        byte[] lying = HexFormat.of().parseHex(bytes("8002 00000017 00000000 00000004 0040 5A5A 0000010000"));

        assertThatThrownBy(() -> Tpm2Commands.parseNvRead(0x01400001, lying))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.MALFORMED_TPM_RESPONSE));
    }

    @Test
    void aPublicAreaOfAnotherIndexIsRejected() {
        byte[] response = HexFormat.of().parseHex(bytes("8001 0000003E 00000000"
                + "000E 01400003 000B 00060006 0000 0040" + "0022 000B" + "00".repeat(32)));

        assertThatThrownBy(() -> Tpm2Commands.parseNvReadPublic(0x01400002, response))
                .isInstanceOf(SnpEvidenceException.class)
                .hasMessageContaining("asked for 0x01400002 but got 0x01400003");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The brief's spaced upper-case notation as compact lower-case hex. */
    private static String bytes(String spaced) {
        return spaced.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
