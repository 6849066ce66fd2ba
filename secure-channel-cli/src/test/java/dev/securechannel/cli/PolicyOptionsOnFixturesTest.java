package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy options change the verdict on real reports: relaxing a default accepts what production
 * rejects, and each pin or minimum rejects with its own reason when the report misses it.
 */
class PolicyOptionsOnFixturesTest {

    private static final String OAK_MILAN_MEASUREMENT = Fixtures.fixtureCase("oak-milan-v3").get("report").get("measurement").asString();
    private static final String AZURE_ID_KEY_DIGEST =
            Fixtures.fixtureCase("trustee-azure-milan-v3-userdata-hcl").get("report").get("id_key_digest").asString();

    @Test
    void debugGuestIsRejectedByDefault() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("gsg-milan-v2"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("debug-guest-rejected");
    }

    @Test
    void debugGuestIsAcceptedWithAllowDebug() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("gsg-milan-v2", "--allow-debug"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.json().get("verdict").asString()).isEqualTo("accepted");
        assertThat(run.json().get("report").get("policy").get("debugAllowed").asBoolean()).isTrue();
    }

    @Test
    void vmplOneReportIsAcceptedWhenVmplOneIsRequired() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("trustee-vlek-milan-v3", "--required-vmpl", "1"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.json().get("vek").get("kind").asString()).isEqualTo("VLEK");
    }

    @Test
    void vmplOneReportIsAcceptedWithAllowAnyVmpl() {
        assertThat(CliRun.run(Fixtures.verifyArguments("trustee-vlek-milan-v3", "--allow-any-vmpl")).exitCode()).isEqualTo(0);
    }

    @Test
    void pinnedMeasurementThatMatchesIsAccepted() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-milan-v3", "--measurement", OAK_MILAN_MEASUREMENT));

        assertThat(run.exitCode()).isEqualTo(0);
    }

    @Test
    void pinnedIdKeyDigestThatMatchesIsAcceptedOnAzure() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("trustee-azure-milan-v3-userdata-hcl", "--id-key-digest", AZURE_ID_KEY_DIGEST,
                "--minimum-tcb.microcode", "219", "--minimum-guest-svn", "12", "--accepted-products", "milan"));

        assertThat(run.exitCode()).isEqualTo(0);
    }

    static Stream<Arguments> rejections() {
        String otherMeasurement = "ff".repeat(48);
        return Stream.of(
                Arguments.of("oak-milan-v3", new String[] {"--measurement", otherMeasurement}, "measurement-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--host-data", "01".repeat(32)}, "host-data-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--id-key-digest", "01".repeat(48)}, "id-key-digest-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--author-key-digest", "01".repeat(48)}, "author-key-digest-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--family-id", "01".repeat(16)}, "family-id-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--image-id", "01".repeat(16)}, "image-id-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--minimum-tcb.microcode", "220"}, "tcb-below-minimum"),
                Arguments.of("oak-genoa-v5", new String[] {"--minimum-tcb.bootloader", "11"}, "tcb-below-minimum"),
                Arguments.of("oak-genoa-v5", new String[] {"--accepted-products", "milan,turin"}, "product-not-accepted"),
                Arguments.of("oak-milan-v3", new String[] {"--smt-allowed", "false"}, "smt-policy-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--single-socket", "true"}, "single-socket-policy-mismatch"),
                Arguments.of("virtee-milan-v2", new String[] {"--minimum-report-version", "3"}, "report-version-too-old"),
                Arguments.of("trustee-azure-milan-v2-hcl", new String[] {"--minimum-guest-svn", "6"}, "guest-svn-below-minimum"),
                // Azure reports run newer microcode than they commit to: CURRENT_TCB != COMMITTED_TCB.
                Arguments.of("trustee-azure-milan-v2-raw", new String[] {"--require-committed-tcb-equals-current"}, "committed-tcb-mismatch"),
                Arguments.of("oak-milan-v3", new String[] {"--require-crl"}, "crl-missing"),
                Arguments.of("trustee-vlek-milan-v3", new String[] {"--required-vmpl", "2"}, "vmpl-mismatch"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("rejections")
    void optionRejectsReportThatMissesIt(String caseId, String[] options, String expectedReason) {
        CliRun run = CliRun.run(Fixtures.verifyArguments(caseId, options));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo(expectedReason);
        assertThat(run.json().get("reason").get("message").asString()).isNotBlank();
    }

    @Test
    void sameReportsAreAcceptedWithoutTheseOptions() {
        for (String caseId : new String[] {"oak-milan-v3", "oak-genoa-v5", "virtee-milan-v2", "trustee-azure-milan-v2-hcl",
                "trustee-azure-milan-v2-raw"}) {
            assertThat(CliRun.run(Fixtures.verifyArguments(caseId)).exitCode()).as(caseId).isEqualTo(0);
        }
    }
}
