package dev.securechannel.internal.sevsnp.guest;

import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_GET_CAPABILITY;
import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_NV_DEFINE_SPACE;
import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_NV_READ;
import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_NV_READ_PUBLIC;
import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_NV_UNDEFINE_SPACE;
import static dev.securechannel.internal.sevsnp.guest.Tpm2Commands.TPM_CC_NV_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.collateral.SnpFixtureFiles;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import dev.securechannel.internal.sevsnp.HclReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The Azure vTPM report flow against a simulated TPM that checks every command byte and behaves
 * like OpenHCL for the report index, starting from a real Azure HCL report (2600 bytes).
 */
class AzureVtpmReportDeviceTest {

    private static final Duration FAST_REFRESH = Duration.ofMillis(20);

    private final byte[] fixtureReport = SnpFixtureFiles.bytes(SnpFixtureFiles.AZURE_USERDATA_HCL);
    private final SimulatedTpm tpm = new SimulatedTpm(fixtureReport);

    @Test
    void definesTheMissingUserDataIndexWritesItAndReadsTheReportInChunks() throws Exception {
        byte[] userData = pattern(0x10);

        byte[] report = new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3).hclReport(userData);

        assertThat(tpm.violations()).isEmpty();
        assertThat(tpm.commandCodes()).containsExactly(
                TPM_CC_NV_READ_PUBLIC, // 0x01400002: not defined (TPM_RC_HANDLE)
                TPM_CC_NV_DEFINE_SPACE,
                TPM_CC_NV_WRITE,
                TPM_CC_NV_READ_PUBLIC, // 0x01400001: its size
                TPM_CC_GET_CAPABILITY, // NV_BUFFER_MAX
                TPM_CC_NV_READ, TPM_CC_NV_READ, TPM_CC_NV_READ);
        assertThat(tpm.userDataIndex()).isEqualTo(userData);
        assertThat(tpm.userDataIndexAttributes()).isEqualTo(0x00060006);
        assertThat(tpm.nvReads()).containsExactly(
                new SimulatedTpm.NvReadRequest(0x01400001, 1024, 0),
                new SimulatedTpm.NvReadRequest(0x01400001, 1024, 1024),
                new SimulatedTpm.NvReadRequest(0x01400001, 552, 2048));
        assertThat(report).hasSize(2600);
        assertThat(HclReport.parse(report).userData()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(userData));
    }

    @Test
    void keepsAnExistingSixtyFourByteIndex() throws Exception {
        tpm.defineUserDataIndex(64);

        new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3).hclReport(pattern(0x20));

        assertThat(tpm.commandCodes()).doesNotContain(TPM_CC_NV_DEFINE_SPACE, TPM_CC_NV_UNDEFINE_SPACE);
        assertThat(tpm.violations()).isEmpty();
    }

    @Test
    void redefinesAnIndexOfTheWrongSize() throws Exception {
        tpm.defineUserDataIndex(32);

        new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3).hclReport(pattern(0x30));

        assertThat(tpm.commandCodes().subList(0, 4))
                .containsExactly(TPM_CC_NV_READ_PUBLIC, TPM_CC_NV_UNDEFINE_SPACE, TPM_CC_NV_DEFINE_SPACE, TPM_CC_NV_WRITE);
        assertThat(tpm.userDataIndex()).isEqualTo(pattern(0x30));
        assertThat(tpm.violations()).isEmpty();
    }

    @Test
    void usesTheTpmsNvBufferMaxAsChunkSize() throws Exception {
        tpm.nvBufferMax(2048);

        new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3).hclReport(pattern(0x40));

        assertThat(tpm.nvReads()).containsExactly(
                new SimulatedTpm.NvReadRequest(0x01400001, 2048, 0),
                new SimulatedTpm.NvReadRequest(0x01400001, 552, 2048));
    }

    @Test
    void reReadsAStaleReportUntilItCarriesOurUserData() throws Exception {
        tpm.stayStaleFor(2);
        byte[] userData = pattern(0x50);

        long start = System.nanoTime();
        byte[] report = new AzureVtpmReportDevice(tpm, Duration.ofMillis(100), 5).hclReport(userData);
        long elapsed = System.nanoTime() - start;

        assertThat(HclReport.parse(report).userData()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(userData));
        List<SimulatedTpm.NvReadRequest> reportStarts = tpm.nvReads().stream().filter(read -> read.offset() == 0).toList();
        assertThat(reportStarts).hasSize(3);
        assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(200)); // waited between reads
    }

    @Test
    void aReportThatStaysStaleBeyondTheLimitFailsClearly() {
        tpm.stayStaleFor(10);
        AzureVtpmReportDevice device = new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3);

        assertThatThrownBy(() -> device.hclReport(pattern(0x60)))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.STALE_REPORT))
                .hasMessageContaining("after 3 reads")
                .hasMessageContaining("982F5C6E45DF0ED3"); // the user data of the old report
        assertThat(tpm.nvReads().stream().filter(read -> read.offset() == 0)).hasSize(3);
    }

    @Test
    void aTpmErrorSurfacesAsTypedExceptionWithTheResponseCode() {
        tpm.defineUserDataIndex(64);
        tpm.failNext(TPM_CC_NV_WRITE, 0x149); // TPM_RC_NV_AUTHORIZATION
        AzureVtpmReportDevice device = new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3);

        assertThatThrownBy(() -> device.hclReport(pattern(0x70)))
                .isInstanceOfSatisfying(TpmResponseException.class, e -> {
                    assertThat(e.responseCode()).isEqualTo(0x149);
                    assertThat(e.commandCode()).isEqualTo(TPM_CC_NV_WRITE);
                })
                .hasMessageContaining("TPM2_NV_Write of 0x01400002 failed with TPM RC 0x00000149 (TPM_RC_NV_AUTHORIZATION)");
    }

    @Test
    void aMissingReportIndexSaysThisMayNotBeAnAzureVm() {
        SimulatedTpm plainTpm = new SimulatedTpm(fixtureReport);
        plainTpm.removeIndex(0x01400001);
        AzureVtpmReportDevice device = new AzureVtpmReportDevice(plainTpm, FAST_REFRESH, 3);

        assertThatThrownBy(() -> device.hclReport(pattern(0x71)))
                .isInstanceOf(TpmResponseException.class)
                .hasMessageContaining("0x01400001")
                .hasMessageContaining("Azure confidential VM")
                .hasMessageContaining("TPM_RC_HANDLE, handle 1");
    }

    @Test
    void aBusyTpmIsAskedAgain() throws Exception {
        tpm.defineUserDataIndex(64);
        tpm.failNext(TPM_CC_NV_WRITE, 0x922); // TPM_RC_RETRY

        new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3).hclReport(pattern(0x72));

        assertThat(tpm.commandCodes().stream().filter(code -> code == TPM_CC_NV_WRITE)).hasSize(2);
        assertThat(tpm.userDataIndex()).isEqualTo(pattern(0x72));
    }

    @Test
    void rejectsUserDataOfTheWrongLength() {
        AzureVtpmReportDevice device = new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3);

        assertThatThrownBy(() -> device.hclReport(new byte[63])).isInstanceOf(IllegalArgumentException.class);
        assertThat(tpm.commands()).isEmpty();
    }

    @Test
    void concurrentRequestsDoNotInterleaveOnTheVmGlobalMailbox() throws Exception {
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<byte[]>> reports = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                byte[] userData = pattern(0x80 + i);
                // Separate device instances, as separate beans or providers would be: the lock is per process.
                AzureVtpmReportDevice device = new AzureVtpmReportDevice(tpm, FAST_REFRESH, 3);
                reports.add(pool.submit(() -> device.hclReport(userData)));
            }
            for (int i = 0; i < callers; i++) {
                byte[] expected = pattern(0x80 + i);
                assertThat(HclReport.parse(reports.get(i).get()).userData())
                        .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(expected));
            }
        } finally {
            pool.shutdownNow();
        }
        // Each request's commands form one uninterrupted run: no thread wrote the mailbox while
        // another was between its write and its read.
        List<String> threads = tpm.commands().stream().map(SimulatedTpm.Command::thread).toList();
        int runs = 1;
        for (int i = 1; i < threads.size(); i++) {
            if (!threads.get(i).equals(threads.get(i - 1))) {
                runs++;
            }
        }
        assertThat(runs).isEqualTo(callers);
        assertThat(tpm.violations()).isEmpty();
    }

    private static byte[] pattern(int seed) {
        byte[] bytes = new byte[64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed + 7 * i);
        }
        return bytes;
    }
}
