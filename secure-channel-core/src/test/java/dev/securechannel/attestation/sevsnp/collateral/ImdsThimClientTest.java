package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SnpReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The IMDS THIM client against a real loopback server answering with the Azure fixture certificates. */
class ImdsThimClientTest {

    private final LoopbackImds imds = LoopbackImds.start();
    private final X509Certificate vcek = SnpFixtureFiles.certificate(SnpFixtureFiles.AZURE_USERDATA_VCEK);
    private final String chainPem = new String(SnpFixtureFiles.bytes("amd-kds/Milan/cert_chain.pem"), java.nio.charset.StandardCharsets.US_ASCII);
    private final ImdsThimClient client = new ImdsThimClient(imds.baseUri(), Duration.ofSeconds(2));

    @AfterEach
    void stopServer() {
        imds.close();
    }

    @Test
    void fetchesTheVcekItsChainAndTcbWithTheMetadataHeader() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(SnpFixtureFiles.pem(vcek), chainPem, "DB18000000000004"));

        ThimCertification certification = client.fetch();

        assertThat(imds.requests()).isEqualTo(1);
        assertThat(imds.requestsWithoutMetadataHeader()).isZero();
        assertThat(certification.vcekCert()).isEqualTo(SnpFixtureFiles.pem(vcek));
        assertThat(certification.certificateChain()).isEqualTo(chainPem);
        assertThat(certification.pemChain()).isEqualTo(SnpFixtureFiles.pem(vcek) + "\n" + chainPem);
        assertThat(certification.certificates()).containsExactly(vcek,
                SnpFixtureFiles.certificate("amd-kds/Milan/ask.pem"), SnpFixtureFiles.certificate("amd-kds/Milan/ark.pem"));
        assertThat(client.endpoint()).isEqualTo(URI.create(imds.baseUri() + "/metadata/THIM/amd/certification"));
    }

    @Test
    void tcbmIsTheReportedTcbAsABigEndianNumber() {
        SnpReport report = SnpReport.parse(HclReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.AZURE_USERDATA_HCL)).snpReport());
        String tcbm = String.format("%016X", report.reportedTcb().value()); // how THIM prints it

        ThimCertification certification = new ThimCertification("v", "c", tcbm);

        assertThat(tcbm).isEqualTo("DB18000000000004");
        assertThat(certification.tcbRaw()).isEqualTo(report.reportedTcb().raw());
        assertThat(new ThimCertification("v", "c", tcbm.toLowerCase(Locale.ROOT)).tcbRaw()).isEqualTo(report.reportedTcb().raw());
    }

    @Test
    void anErrorStatusIsAnIOException() {
        imds.respond(503, "{}");

        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("HTTP 503");
    }

    @Test
    void aMissingFieldIsAnIOException() {
        imds.respond(200, "{\"vcekCert\":\"x\",\"tcbm\":\"DB18000000000004\"}");

        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("certificateChain");
    }

    @Test
    void aMalformedTcbmIsAnIOException() {
        imds.respond(200, LoopbackImds.thimJson("a", "b", "DB18"));

        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("tcbm");
    }

    @Test
    void duplicateKeysAreRejected() {
        imds.respond(200, "{\"vcekCert\":\"a\",\"vcekCert\":\"b\",\"certificateChain\":\"c\",\"tcbm\":\"DB18000000000004\"}");

        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void somethingOtherThanJsonIsRejected() {
        imds.respond(200, "<html>captive portal</html>");

        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("JSON");
    }

    @Test
    void anUnreachableImdsFailsFastWithAHint() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ImdsThimClient unreachable = new ImdsThimClient(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(1));

        long start = System.nanoTime();
        assertThatThrownBy(unreachable::fetch).isInstanceOf(IOException.class).hasMessageContaining("Azure confidential VM");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theTcbHexRoundTrips() {
        assertThat(HexFormat.of().formatHex(new ThimCertification("v", "c", "0102030405060708").tcbRaw())).isEqualTo("0807060504030201");
    }
}
