package dev.securechannel.internal.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.collateral.SnpFixtureFiles;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import dev.securechannel.attestation.sevsnp.guest.SnpExtendedReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configfs-tsm protocol against a simulated kernel over a real temporary directory. */
class ConfigfsTsmReportDeviceTest {

    private final byte[] fixtureReport = SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT);

    @TempDir
    Path root;

    @Test
    void writesExactlyTheReportDataAndReturnsTheFirmwaresReport() throws Exception {
        byte[] certificateTable = new CertificateTableBuilder()
                .add(CertificateTableBuilder.VCEK, SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK))
                .build();
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(certificateTable);
        byte[] reportData = sequence(64);

        SnpExtendedReport result = device(configfs).requestReport(reportData);

        assertThat(configfs.inblobs()).singleElement().isEqualTo(reportData);
        assertThat(Arrays.copyOfRange(result.report(), 0x50, 0x90)).isEqualTo(reportData);
        assertThat(Arrays.copyOfRange(result.report(), 0, 0x50)).isEqualTo(Arrays.copyOfRange(fixtureReport, 0, 0x50));
        assertThat(result.certificateTable()).isEqualTo(certificateTable);
        assertThat(configfs.privlevels()).isEmpty();
    }

    @Test
    void removesItsEntryAfterwards() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);

        device(configfs).requestReport(sequence(64));

        assertThat(configfs.createdEntries()).hasSize(1);
        assertThat(configfs.removedEntries()).isEqualTo(configfs.createdEntries());
        assertThat(configfs.createdEntries().get(0).getParent()).isEqualTo(root);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aKernelWithoutAuxblobGivesAnEmptyCertificateTable() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).withoutAuxblob();

        SnpExtendedReport result = device(configfs).requestReport(sequence(64));

        assertThat(result.certificateTable()).isEmpty();
        assertThat(SnpCertificateTable.parse(result.certificateTable()).isEmpty()).isTrue();
    }

    @Test
    void anotherWriterChangingTheGenerationCausesARetryInAFreshEntry() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).interfereInNext(1);
        byte[] reportData = sequence(64);

        SnpExtendedReport result = device(configfs).requestReport(reportData);

        assertThat(configfs.createdEntries()).hasSize(2).doesNotHaveDuplicates();
        assertThat(configfs.removedEntries()).containsExactlyElementsOf(configfs.createdEntries());
        assertThat(Arrays.copyOfRange(result.report(), 0x50, 0x90)).isEqualTo(reportData);
    }

    @Test
    void aGenerationChangeAloneIsEnoughToRetry() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).writePrivlevelInNext(1);

        device(configfs).requestReport(sequence(64));

        assertThat(configfs.createdEntries()).hasSize(2);
    }

    @Test
    void persistentInterferenceEndsInAClearError() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).interfereInNext(10);
        ConfigfsTsmReportDevice device = new ConfigfsTsmReportDevice(root, null, 3, configfs);

        assertThatThrownBy(() -> device.requestReport(sequence(64)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CONCURRENT_WRITER))
                .hasMessageContaining("3 attempts");
        assertThat(configfs.createdEntries()).hasSize(3);
        assertThat(configfs.removedEntries()).hasSize(3);
    }

    @Test
    void aMissingConfigfsIsAClearError() {
        Path absent = root.resolve("sys/kernel/config/tsm/report");
        ConfigfsTsmReportDevice device = new ConfigfsTsmReportDevice(absent, null, 3);

        assertThatThrownBy(() -> device.requestReport(sequence(64)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CONFIGFS_UNAVAILABLE))
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("CONFIG_TSM_REPORTS");
    }

    @Test
    void aProviderOtherThanSevGuestIsRejected() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).provider("tdx_guest");

        assertThatThrownBy(() -> device(configfs).requestReport(sequence(64)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.PROVIDER_UNSUPPORTED))
                .hasMessageContaining("tdx_guest");
        assertThat(configfs.inblobs()).isEmpty();
        assertThat(configfs.removedEntries()).hasSize(1);
    }

    @Test
    void writesTheConfiguredPrivilegeLevelBeforeTheInblob() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);

        new ConfigfsTsmReportDevice(root, 2, 3, configfs).requestReport(sequence(64));

        assertThat(configfs.privlevels()).containsExactly("2");
        assertThat(configfs.createdEntries()).hasSize(1); // two writes, generation +2: no retry
    }

    @Test
    void aPrivilegeLevelBelowTheFloorIsRefusedBeforeAnyWrite() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).privlevelFloor(2);
        ConfigfsTsmReportDevice device = new ConfigfsTsmReportDevice(root, 1, 3, configfs);

        assertThatThrownBy(() -> device.requestReport(sequence(64)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.PRIVLEVEL_INVALID))
                .hasMessageContaining("privlevel_floor 2");
        assertThat(configfs.inblobs()).isEmpty();
    }

    @Test
    void aFirmwareErrorOnOutblobIsADeviceFailure() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).failOutblob("No such device or address");

        assertThatThrownBy(() -> device(configfs).requestReport(sequence(64)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.DEVICE_FAILED))
                .hasMessageContaining("outblob")
                .hasMessageContaining("No such device or address");
        assertThat(configfs.removedEntries()).hasSize(1);
    }

    @Test
    void reportDataOfTheWrongLengthNeverReachesTheKernel() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);

        assertThatThrownBy(() -> device(configfs).requestReport(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThat(configfs.createdEntries()).isEmpty();
    }

    @Test
    void rejectsAnImpossiblePrivilegeLevel() {
        assertThatThrownBy(() -> new ConfigfsTsmReportDevice(root, 4, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    private ConfigfsTsmReportDevice device(SimulatedTsmConfigfs configfs) {
        return new ConfigfsTsmReportDevice(root, null, ConfigfsTsmReportDevice.DEFAULT_MAX_ATTEMPTS, configfs);
    }

    private static byte[] sequence(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i + 1);
        }
        return bytes;
    }
}
