package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.internal.sevsnp.SnpReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline collateral from the real fixture files. */
class OfflineCollateralTest {

    private final SnpReport milanReport = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT));
    private final SnpReport genoaReport = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.GENOA_V5_REPORT));

    @TempDir
    Path directory;

    @Test
    void findsEachChipsVcekAskAndArkAmongTheConfiguredFiles() throws Exception {
        OfflineCollateral offline = loadAllProducts();

        assertThat(offline.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb())).containsExactly(
                SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK),
                SnpFixtureFiles.certificate("amd-kds/Milan/ask.pem"),
                SnpFixtureFiles.certificate("amd-kds/Milan/ark.pem"));
        assertThat(offline.chainFor(SnpProduct.GENOA, genoaReport.chipId(), genoaReport.reportedTcb())).containsExactly(
                SnpFixtureFiles.certificate(SnpFixtureFiles.GENOA_V5_VCEK),
                SnpFixtureFiles.certificate("amd-kds/Genoa/ask.pem"),
                SnpFixtureFiles.certificate("amd-kds/Genoa/ark.pem"));
    }

    @Test
    void matchesATurinVcekByItsEightByteHwidAndFmcSpl() throws Exception {
        OfflineCollateral offline = loadAllProducts();
        byte[] chipId = new byte[64];
        System.arraycopy(HexFormat.of().parseHex("1e550a8ee5cf9f4d"), 0, chipId, 0, 8);

        List<X509Certificate> chain = offline.chainFor(SnpProduct.TURIN, chipId, TcbVersion.turin(0, 0, 0, 0, 9));

        assertThat(chain.get(0)).isEqualTo(SnpFixtureFiles.certificate(SnpFixtureFiles.TURIN_VCEK));
        assertThat(chain.get(2).getSubjectX500Principal().getName()).contains("CN=ARK-Turin");
        assertThatThrownBy(() -> offline.chainFor(SnpProduct.TURIN, chipId, TcbVersion.turin(1, 0, 0, 0, 9)))
                .isInstanceOf(IOException.class); // fmcSPL differs
    }

    @Test
    void anotherTcbOrChipHasNoVcek() throws Exception {
        OfflineCollateral offline = loadAllProducts();

        assertThatThrownBy(() -> offline.chainFor(SnpProduct.MILAN, milanReport.chipId(), TcbVersion.milanGenoa(4, 0, 24, 220)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no Milan VCEK for chip " + HexFormat.of().formatHex(milanReport.chipId(), 0, 8));
        assertThatThrownBy(() -> offline.chainFor(SnpProduct.GENOA, milanReport.chipId(), milanReport.reportedTcb()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aVcekWithoutItsAskIsReported() throws Exception {
        OfflineCollateral offline = OfflineCollateral.load(List.of(SnpFixtureFiles.path(SnpFixtureFiles.MILAN_V3_VCEK)), Map.of());

        assertThatThrownBy(() -> offline.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no SEV-Milan certificate");
    }

    @Test
    void servesTheConfiguredCrlOfEachProduct() throws Exception {
        OfflineCollateral offline = loadAllProducts();

        assertThat(offline.crlDer(SnpProduct.GENOA)).hasValueSatisfying(
                der -> assertThat(der).isEqualTo(SnpFixtureFiles.bytes("amd-kds/Genoa/crl.der")));
        assertThat(offline.crlDer(SnpProduct.TURIN)).isEmpty();
    }

    @Test
    void readsEveryFileOfAConfiguredDirectory() throws Exception {
        Files.copy(SnpFixtureFiles.path("amd-kds/Milan/cert_chain.pem"), directory.resolve("milan-chain.pem"));
        Files.copy(SnpFixtureFiles.path(SnpFixtureFiles.MILAN_V3_VCEK), directory.resolve("vcek.der"));

        OfflineCollateral offline = OfflineCollateral.load(List.of(directory), Map.of());

        assertThat(offline.certificates()).hasSize(3);
        assertThat(offline.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb())).hasSize(3);
    }

    @Test
    void aFileThatIsNotACrlIsRejectedAtLoad() {
        assertThatThrownBy(() -> OfflineCollateral.load(List.of(),
                Map.of(SnpProduct.MILAN, SnpFixtureFiles.path("amd-kds/Milan/ark.pem"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a CRL");
    }

    @Test
    void neverOpensASocket() throws Exception {
        try (Recording recording = socketRecording()) {
            recording.start();
            OfflineCollateral offline = loadAllProducts();
            offline.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());
            offline.chainFor(SnpProduct.GENOA, genoaReport.chipId(), genoaReport.reportedTcb());
            offline.crlDer(SnpProduct.MILAN);
            recording.stop();

            assertThat(socketEvents(recording)).isEmpty();
        }
        // The same recording does see a client that uses the network, so the empty result above means something.
        try (LoopbackKds kds = LoopbackKds.start(); Recording recording = socketRecording()) {
            recording.start();
            new AmdKdsClient(kds.baseUri(), Duration.ZERO, Duration.ofSeconds(5)).crlDer(SnpProduct.MILAN);
            recording.stop();

            assertThat(socketEvents(recording)).isNotEmpty();
        }
    }

    private OfflineCollateral loadAllProducts() throws IOException {
        return OfflineCollateral.load(
                List.of(SnpFixtureFiles.path("amd-kds/Milan/cert_chain.pem"),
                        SnpFixtureFiles.path("amd-kds/Genoa/cert_chain.pem"),
                        SnpFixtureFiles.path("amd-kds/Turin/cert_chain.pem"),
                        SnpFixtureFiles.path(SnpFixtureFiles.MILAN_V3_VCEK),
                        SnpFixtureFiles.path(SnpFixtureFiles.GENOA_V5_VCEK),
                        SnpFixtureFiles.path(SnpFixtureFiles.TURIN_VCEK)),
                Map.of(SnpProduct.MILAN, SnpFixtureFiles.path("amd-kds/Milan/crl.der"),
                        SnpProduct.GENOA, SnpFixtureFiles.path("amd-kds/Genoa/crl.der")));
    }

    /** JFR's socket read and write events, which cover java.net sockets and NIO channels alike. */
    private static Recording socketRecording() {
        Recording recording = new Recording();
        recording.enable("jdk.SocketRead").withThreshold(Duration.ZERO).withStackTrace();
        recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO).withStackTrace();
        return recording;
    }

    private List<RecordedEvent> socketEvents(Recording recording) throws IOException {
        Path dump = Files.createTempFile(directory, "sockets", ".jfr");
        recording.dump(dump);
        return RecordingFile.readAllEvents(dump);
    }
}
