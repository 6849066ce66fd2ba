package dev.securechannel.internal.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.collateral.SnpFixtureFiles;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The host certificate table (auxblob) parser, on tables built from the real AMD certificates. */
class SnpCertificateTableTest {

    private final X509Certificate ark = SnpFixtureFiles.certificate("amd-kds/Milan/ark.pem");
    private final X509Certificate ask = SnpFixtureFiles.certificate("amd-kds/Milan/ask.pem");
    private final X509Certificate vcek = SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK);

    @Test
    void readsTheAmdCertificatesInTableOrder() {
        byte[] table = new CertificateTableBuilder()
                .add(CertificateTableBuilder.ARK, ark)
                .add(CertificateTableBuilder.ASK, ask)
                .add(CertificateTableBuilder.VCEK, vcek)
                .build();

        SnpCertificateTable parsed = SnpCertificateTable.parse(table);

        assertThat(parsed.certificates()).containsExactly(ark, ask, vcek);
        assertThat(parsed.entries()).extracting(SnpCertificateTable.Entry::kind)
                .containsExactly(SnpCertificateTable.EntryKind.ARK, SnpCertificateTable.EntryKind.ASK, SnpCertificateTable.EntryKind.VCEK);
        assertThat(parsed.hasCompleteChain()).isTrue();
    }

    @Test
    void keepsOtherEntriesOutOfTheCertificates() {
        byte[] table = new CertificateTableBuilder()
                .add(CertificateTableBuilder.VCEK, vcek)
                .add(CertificateTableBuilder.EXTRA_PLATFORM_INFO, new byte[] {1, 2, 3, 4})
                .add(CertificateTableBuilder.ASK, ask)
                .add(CertificateTableBuilder.ARK, ark)
                .build();

        SnpCertificateTable parsed = SnpCertificateTable.parse(table);

        assertThat(parsed.entries()).hasSize(4);
        assertThat(parsed.entries().get(1).kind()).isEqualTo(SnpCertificateTable.EntryKind.OTHER);
        assertThat(parsed.entries().get(1).data()).containsExactly(1, 2, 3, 4);
        assertThat(parsed.certificates()).containsExactly(vcek, ask, ark);
    }

    @Test
    void anEmptyBufferOrALoneTerminatorIsAnEmptyTable() {
        assertThat(SnpCertificateTable.parse(new byte[0]).isEmpty()).isTrue();
        assertThat(SnpCertificateTable.parse(new byte[24]).isEmpty()).isTrue();
        assertThat(SnpCertificateTable.parse(new byte[4096]).hasCompleteChain()).isFalse();
    }

    @Test
    void aVcekWithoutItsIssuersIsNotACompleteChain() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, vcek).build();

        assertThat(SnpCertificateTable.parse(table).hasCompleteChain()).isFalse();
    }

    @Test
    void aTableWithoutTerminatorIsRejected() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, vcek).build();
        byte[] withoutTerminator = Arrays.copyOf(table, 24 + 10); // one entry, then too little for another

        assertMalformed(withoutTerminator, "terminator");
    }

    @Test
    void dataBeyondTheBufferIsRejected() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, vcek).build();
        ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putInt(20, table.length); // length = whole buffer, from offset 48

        assertMalformed(table, "outside the data area");
    }

    @Test
    void aLengthThatWouldWrapAroundIsRejected() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, vcek).build();
        ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0xFFFFFFF0);

        assertMalformed(table, "outside the data area");
    }

    @Test
    void dataInsideTheEntryArrayIsRejected() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, vcek).build();
        ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 8); // offset into the entries themselves

        assertMalformed(table, "outside the data area");
    }

    @Test
    void twoVceksAreRejected() {
        byte[] table = new CertificateTableBuilder()
                .add(CertificateTableBuilder.VCEK, vcek)
                .add(CertificateTableBuilder.VCEK, vcek)
                .build();

        assertMalformed(table, "two VCEK entries");
    }

    @Test
    void aCertificateEntryThatIsNotDerIsRejected() {
        byte[] table = new CertificateTableBuilder().add(CertificateTableBuilder.ASK, new byte[] {0x30, 0x03, 1, 2, 3}).build();

        assertMalformed(table, "ASK entry is not a DER certificate");
    }

    @Test
    void zeroPaddingAfterACertificateIsToleratedButOtherTrailingBytesAreNot() throws Exception {
        byte[] padded = Arrays.copyOf(vcek.getEncoded(), vcek.getEncoded().length + 16);
        assertThat(SnpCertificateTable.parse(new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, padded).build())
                .certificates()).containsExactly(vcek);

        padded[padded.length - 1] = 7;
        assertMalformed(new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, padded).build(), "bytes after its certificate");
    }

    private static void assertMalformed(byte[] table, String message) {
        assertThatThrownBy(() -> SnpCertificateTable.parse(table))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.MALFORMED_CERTIFICATE_TABLE))
                .hasMessageContaining(message);
    }
}
