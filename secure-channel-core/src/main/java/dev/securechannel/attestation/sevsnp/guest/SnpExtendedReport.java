package dev.securechannel.attestation.sevsnp.guest;

import java.util.Arrays;

/**
 * What the guest firmware returned for one request: the 1184-byte ATTESTATION_REPORT and the
 * host's certificate table (empty when the host provisioned none).
 *
 * @param report           the raw report, exactly as the firmware signed it
 * @param certificateTable the raw certificate table ({@code auxblob}), possibly empty
 */
public record SnpExtendedReport(byte[] report, byte[] certificateTable) {

    /** The size of an SEV-SNP ATTESTATION_REPORT. */
    public static final int REPORT_SIZE = 1184;

    public SnpExtendedReport {
        report = report.clone();
        certificateTable = certificateTable.clone();
    }

    @Override
    public byte[] report() {
        return report.clone();
    }

    @Override
    public byte[] certificateTable() {
        return certificateTable.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnpExtendedReport that && Arrays.equals(report, that.report)
                && Arrays.equals(certificateTable, that.certificateTable);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(report) + Arrays.hashCode(certificateTable);
    }

    @Override
    public String toString() {
        return "SnpExtendedReport[report " + report.length + " bytes, certificate table " + certificateTable.length + " bytes]";
    }
}
