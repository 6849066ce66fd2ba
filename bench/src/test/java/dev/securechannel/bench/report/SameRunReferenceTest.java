package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.securechannel.bench.report.Targets.Status;
import dev.securechannel.bench.report.Targets.Target;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Section 7 (the reference crate, same machine, same run) and the methodology's platform rows,
 * from the fixtures in {@code report-fixtures/reference}: two rounds of the reference harness's
 * output (round 1 as the real harness printed it with {@code bench --quick}, round 2 the same
 * with other medians) and two rounds of our JMH results. The medians across rounds:
 * <pre>
 *                       reference (round 1, 2 -> median)        ours (round 1, 2 -> median)
 * handshake, pooled     144.5, 155.5 -> 150.0 us (one task)     100, 104 -> 102 us     0.68x  met (<= 0.7)
 * handshake, inline     185.7, 194.3 -> 190.0 us (spawned)      160, 170 -> 165 us
 * round trip 1,536 B    30.8, 29.2 -> 30.0 us                   19, 21 -> 20 us        0.667x met (<= 0.7)
 * round trip 4 KiB      36.1, 35.9 -> 36.0 us                   30, 32 -> 31 us
 * round trip 384 KiB    1594, 1606 -> 1600 us                   1200, 1300 -> 1250 us  0.781x missed (<= 0.7)
 * 1 MiB, ChaCha20       455, 445 -> 450 MB/s                    1.0, 1.2 -> 1.1 GB/s   2.44x  met (>= 2)
 * 1 MiB, AES-256-GCM    450 MB/s (ChaCha20)                     1.2, absent -> 1.2     2.67x  missed (>= 3)
 * </pre>
 */
class SameRunReferenceTest {

    private static final String GENERATED_AT = "2026-01-01T00:30:00Z";
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void parsesTheHarnessOutputAsPrinted() throws Exception {
        ReferenceOutput output = ReferenceOutput.parse(Files.readAllLines(fixtures().resolve("reference/round-1-reference.txt")));

        assertThat(output.handshakeOneTaskMicros()).isEqualTo(144.5);
        assertThat(output.handshakeSpawnedMicros()).isEqualTo(185.7);
        assertThat(output.roundTripMicros()).containsEntry(1536, 30.8).containsEntry(4096, 36.1).containsEntry(393216, 1594.0);
        assertThat(output.oneWay(MIB)).isEqualTo(455e6);
        assertThat(output.oneWay(1536)).isEqualTo(266e6);
        assertThat(output.cpuOthers()).isEqualTo(0.04);
        assertThat(ReferenceOutput.parse(List.of("error: something went wrong")).isEmpty()).isTrue();
    }

    @Test
    void figuresAreMediansAcrossRoundsAndRatiosOursOverTheReference() throws Exception {
        SameRunReference sameRun = fullModel().sameRun();

        assertThat(sameRun.measured()).isTrue();
        assertThat(sameRun.rounds()).isEqualTo(2);
        assertThat(sameRun.harness()).isEqualTo("/opt/reference/rust-interop");

        SameRunReference.Compared handshake = compared(sameRun, "handshake-p50");
        assertThat(handshake.reference()).containsExactly(144.5, 155.5);
        assertThat(handshake.ours()).containsExactly(100.0, 104.0);
        assertThat(handshake.referenceMedian()).isEqualTo(150.0, within(1e-9));
        assertThat(handshake.oursMedian()).isEqualTo(102.0, within(1e-9));
        assertThat(handshake.ratio()).isEqualTo(102.0 / 150.0, within(1e-9));
        assertThat(handshake.ratio(0)).isEqualTo(100.0 / 144.5, within(1e-9));

        assertThat(compared(sameRun, "handshake-pooled-keys-p50").ratio()).isEqualTo(165.0 / 190.0, within(1e-9));
        assertThat(compared(sameRun, "round-trip-1536").ratio()).isEqualTo(20.0 / 30.0, within(1e-9));
        assertThat(compared(sameRun, "round-trip-4096").ratio()).isEqualTo(31.0 / 36.0, within(1e-9));
        assertThat(compared(sameRun, "round-trip-393216").ratio()).isEqualTo(1250.0 / 1600.0, within(1e-9));

        // Throughput: our rate over the reference's rate (1 MiB per operation, p50 1,048.576 us = 1.0 GB/s).
        SameRunReference.Compared chacha = compared(sameRun, "one-way-1mib-streamed-chacha20-poly1305");
        assertThat(chacha.throughput()).isTrue();
        assertThat(chacha.referenceMedian()).isEqualTo(450e6, within(1.0));
        assertThat(chacha.ours()[0]).isEqualTo(1.0e9, within(1.0));
        assertThat(chacha.oursMedian()).isEqualTo(1.1e9, within(1e3));
        assertThat(chacha.ratio()).isEqualTo(1.1e9 / 450e6, within(1e-5));
        assertThat(chacha.ratioMeaning()).startsWith("our rate / the reference's rate");
        assertThat(handshake.ratioMeaning()).startsWith("our time / the reference's time");

        // AES-256-GCM ran in round 1 only: its median is that round's figure, round 2 reads "not measured".
        SameRunReference.Compared aes = compared(sameRun, "one-way-1mib-streamed-aes-256-gcm");
        assertThat(aes.algorithm()).isEqualTo(CryptoNames.AES_256_GCM);
        assertThat(aes.ours()[1]).isNaN();
        assertThat(aes.oursMedian()).isEqualTo(1.2e9, within(1e3));
        assertThat(aes.ratio()).isEqualTo(1.2e9 / 450e6, within(1e-5));
    }

    @Test
    void theIssuesTargetsAreMetOrMissed() throws Exception {
        SameRunReference sameRun = fullModel().sameRun();

        assertThat(sameRun.targets()).extracting(Target::id).containsExactly("reference-handshake-p50", "reference-round-trip-1536",
                "reference-round-trip-393216", "reference-round-trip-1536-aes-256-gcm", "reference-round-trip-393216-aes-256-gcm",
                "reference-one-way-1mib-chacha20", "reference-one-way-1mib-aes256gcm");
        // The fixtures' round trips ran with ChaCha20-Poly1305 only (no aead parameter).
        assertThat(target(sameRun, "reference-round-trip-1536-aes-256-gcm").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(target(sameRun, "reference-round-trip-393216-aes-256-gcm").status()).isEqualTo(Status.NOT_MEASURED);
        assertThat(target(sameRun, "reference-handshake-p50").status()).isEqualTo(Status.MET);
        assertThat(target(sameRun, "reference-round-trip-1536").status()).isEqualTo(Status.MET);
        assertThat(target(sameRun, "reference-round-trip-393216").status()).isEqualTo(Status.MISSED);
        assertThat(target(sameRun, "reference-one-way-1mib-chacha20").status()).isEqualTo(Status.MET);
        assertThat(target(sameRun, "reference-one-way-1mib-aes256gcm").status()).isEqualTo(Status.MISSED);
        assertThat(target(sameRun, "reference-one-way-1mib-aes256gcm").threshold()).isEqualTo(3.0);
    }

    @Test
    void markdownHasATablePerFigureWithRoundsMediansRatiosAndTargets() throws Exception {
        String markdown = MarkdownReport.render(fullModel());
        String section = markdown.substring(markdown.indexOf("## 7. Reference crate, same machine, same run"), markdown.indexOf("## Notes"));

        assertThat(section).contains("in 2 alternating round(s)", "harness `/opt/reference/rust-interop`", "(Test CPU 9000)",
                "Times: our time / the reference's (below 1: we are faster)",
                "Throughput: our rate / the reference's rate (above 1: we move more bytes per second)");
        assertThat(section).contains(
                "| Handshake p50 (keys inline) over the reference's (one task) | <= 0.7x | 0.68x | met | 102.0 us over 150.0 us (medians of the rounds) |",
                "| Round trip 1,536 B p50 over the reference's | <= 0.7x | 0.67x | met |",
                "| Round trip 384 KiB p50 over the reference's | <= 0.7x | 0.78x | **missed** | 1.25 ms over 1.60 ms (medians of the rounds) |",
                "| 1 MiB streamed one way, ChaCha20-Poly1305, our rate over the reference's | >= 2x | 2.44x | met | 1.10 GB/s over 450.0 MB/s",
                "| 1 MiB streamed one way, AES-256-GCM, our rate over the reference's (ChaCha20-Poly1305) | >= 3x | 2.67x | **missed** |");
        assertThat(section).contains("### Handshake p50, mock attestation, ephemeral keys from the pool",
                "| 1 | 144.5 us | 100.0 us | 0.69x | 0.04 / 0.02 |",
                "| 2 | 155.5 us | 104.0 us | 0.67x | **0.30** / **0.30** |",
                "| **Median** | **150.0 us** | **102.0 us** | **0.68x** |  |");
        assertThat(section).contains("### Round trip 4 KiB p50", "| **Median** | **36.0 us** | **31.0 us** | **0.86x** |  |");
        assertThat(section).contains("### One way 1 MiB streamed, AES-256-GCM (the reference: ChaCha20-Poly1305)",
                "| 1 | 455.0 MB/s | 1.20 GB/s | 2.64x |", "| 2 | 445.0 MB/s | not measured | not measured |");
        assertThat(section).doesNotContain("Quick run");
    }

    @Test
    void jsonCarriesTheSameFiguresAndTargets() throws Exception {
        JsonNode sameRun = JsonMapper.builder().build().readTree(JsonReport.render(fullModel())).path("referenceSameRun");

        assertThat(sameRun.path("measured").asBoolean()).isTrue();
        assertThat(sameRun.path("rounds").asInt()).isEqualTo(2);
        assertThat(sameRun.path("quick").asBoolean()).isFalse();
        JsonNode handshake = sameRun.path("figures").path(0);
        assertThat(handshake.path("id").asString()).isEqualTo("handshake-p50");
        assertThat(handshake.path("unit").asString()).isEqualTo("us");
        assertThat(handshake.path("referenceRounds").path(1).asDouble()).isEqualTo(155.5);
        assertThat(handshake.path("oursMedian").asDouble()).isEqualTo(102.0, within(1e-9));
        assertThat(handshake.path("ratio").asDouble()).isEqualTo(102.0 / 150.0, within(1e-9));
        JsonNode aes = null;
        for (JsonNode figure : sameRun.path("figures")) {
            if (figure.path("id").asString().equals("one-way-1mib-streamed-aes-256-gcm")) {
                aes = figure;
            }
        }
        assertThat(aes).isNotNull();
        assertThat(aes.path("unit").asString()).isEqualTo("bytes/s");
        assertThat(aes.path("oursRounds").path(1).isNull()).isTrue();
        assertThat(sameRun.path("targets")).hasSize(7);
        assertThat(sameRun.path("targets").path(2).path("status").asString()).isEqualTo("MISSED");
    }

    @Test
    void withoutTheReferenceTheSectionSaysHowToGetIt() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("no-reference"));
        Files.copy(fixtures().resolve("jmh-25-inmemory.json"), dir.resolve("jmh-25-inmemory.json"));
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", dir.toString(),
                "--inference", dir.resolve("absent.json").toString()), GENERATED_AT);
        String markdown = MarkdownReport.render(model);

        assertThat(model.sameRun().measured()).isFalse();
        assertThat(model.sameRun().targets()).isEmpty();
        assertThat(markdown).contains("## 7. Reference crate, same machine, same run\n\nNot measured in this run.",
                "`bench/run-report.sh [--quick] --reference PATH`", "`rust-interop`");
        JsonNode json = JsonMapper.builder().build().readTree(JsonReport.render(model)).path("referenceSameRun");
        assertThat(json.path("measured").asBoolean()).isFalse();
        assertThat(json.path("reason").asString()).contains("--reference PATH");
        assertThat(json.path("figures")).isEmpty();
    }

    @Test
    void aHarnessThatPrintedNothingLeavesTheFiguresNotMeasured() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("failed/reference"));
        Files.writeString(dir.resolve("round-1-reference.txt"), "FAIL: handshake: connection reset\n");
        Files.copy(fixtures().resolve("reference/round-1-ours-handshake-roundtrip.json"), dir.resolve("round-1-ours-handshake-roundtrip.json"));
        SameRunReference sameRun = SameRunReference.read(dir, "", false, new ArrayList<>());

        assertThat(sameRun.measured()).isFalse();
        assertThat(sameRun.unavailable()).contains("produced no figures");
        assertThat(sameRun.targets()).allSatisfy(target -> assertThat(target.status()).isEqualTo(Status.NOT_MEASURED));
        assertThat(compared(sameRun, "handshake-p50").oursMedian()).isEqualTo(100.0);
        assertThat(target(sameRun, "reference-handshake-p50").detail()).isEqualTo("the reference's figure is missing");
        assertThat(MarkdownReport.render(modelWith(dir.getParent()))).contains("> Not measured: the reference harness produced no figures");
    }

    @Test
    void aQuickRunHasOneRoundAndSaysSo() throws Exception {
        Path results = Files.createDirectory(temp.resolve("quick"));
        Path dir = Files.createDirectory(results.resolve("reference"));
        for (String name : List.of("round-1-reference.txt", "round-1-ours-handshake-roundtrip.json", "round-1-ours-streaming.json")) {
            Files.copy(fixtures().resolve("reference").resolve(name), dir.resolve(name));
        }
        Files.writeString(results.resolve("run.json"), "{\"command\": \"bench/run-report.sh --quick --reference /r\", \"profile\": \"quick\", "
                + "\"referenceHarness\": \"/r\", \"cpuModel\": \"Test CPU 9000\", \"cpuFlags\": \"fpu sse2 avx avx2 aes pclmulqdq\"}");
        ReportModel model = modelWith(results);
        String markdown = MarkdownReport.render(model);

        assertThat(model.sameRun().quick()).isTrue();
        assertThat(model.sameRun().rounds()).isEqualTo(1);
        assertThat(markdown).contains("in 1 alternating round(s)", "> **Quick run**: one round each, the harness's `--quick` sample counts");
        // One round: the medians are that round's figures.
        assertThat(compared(model.sameRun(), "round-trip-1536").ratio()).isEqualTo(19.0 / 30.8, within(1e-9));
        assertThat(target(model.sameRun(), "reference-round-trip-1536").status()).isEqualTo(Status.MET);
        assertThat(target(model.sameRun(), "reference-one-way-1mib-chacha20").measured()).isEqualTo(1.0e9 / 455e6, within(1e-5));
        assertThat(JsonMapper.builder().build().readTree(JsonReport.render(model)).path("referenceSameRun").path("quick").asBoolean()).isTrue();
        assertThat(markdown).contains("| CPU vector and crypto extensions | avx, avx2, aes, pclmulqdq; no AVX-512 (from /proc/cpuinfo) |");
    }

    @Test
    void severalBackendsGetTheirOwnFiguresAndTargets() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("backends/reference"));
        Files.copy(fixtures().resolve("reference/round-1-reference.txt"), dir.resolve("round-1-reference.txt"));
        String ours = Files.readString(fixtures().resolve("reference/round-1-ours-handshake-roundtrip.json"));
        Files.writeString(dir.resolve("round-1-ours-jdk.json"), ours.replace("\"mode\": \"secure\"", "\"backend\": \"jdk\", \"mode\": \"secure\""));
        Files.writeString(dir.resolve("round-1-ours-other.json"), ours.replace("\"mode\": \"secure\"", "\"backend\": \"other\", \"mode\": \"secure\""));
        SameRunReference sameRun = SameRunReference.read(dir, "", false, new ArrayList<>());

        assertThat(compared(sameRun, "round-trip-1536-jdk").backend()).isEqualTo("jdk");
        assertThat(compared(sameRun, "round-trip-1536-other").metric()).isEqualTo("Round trip 1,536 B p50 (backend other)");
        assertThat(compared(sameRun, "round-trip-1536-other").oursMedian()).isEqualTo(19.0);
        assertThat(sameRun.targets()).extracting(Target::id).contains("reference-round-trip-1536-jdk", "reference-round-trip-1536-other");
    }

    @Test
    void methodologyNamesTheCpuExtensionsEachJdksIntrinsicsAndTheBackend() throws Exception {
        ReportModel model = fullModel();
        String markdown = MarkdownReport.render(model);

        assertThat(markdown).contains("| CPU vector and crypto extensions | avx, avx2, aes, vaes, pclmulqdq, vpclmulqdq, sha_ni; no AVX-512 (from /proc/cpuinfo) |");
        assertThat(markdown).contains("| JDK 25 vendor and crypto intrinsics | 25.0.3+9-LTS, Eclipse Adoptium (Temurin-25.0.3+9); UseChaCha20Intrinsics=true, "
                + "UsePoly1305Intrinsics=true, UseAESIntrinsics=true, UseAESCTRIntrinsics=true, UseGHASHIntrinsics=true, UseSHA256Intrinsics=true, UseAVX=3, "
                + "no AES-GCM flag in this JDK");
        assertThat(markdown).contains("| JDK 17 vendor and crypto intrinsics | 17.0.15+6-Debian-1deb12u1, Debian; UseChaCha20Intrinsics: not in this JDK, "
                + "UsePoly1305Intrinsics: not in this JDK, UseAESIntrinsics=true");
        assertThat(markdown).contains("| Crypto backend | auto |");
        assertThat(markdown.indexOf("| JDK 25 vendor")).isLessThan(markdown.indexOf("| JDK 17 vendor"));

        JsonNode machine = JsonMapper.builder().build().readTree(JsonReport.render(model)).path("machine");
        assertThat(machine.path("avx512").asBoolean()).isFalse();
        assertThat(machine.path("cpuExtensions").toString()).contains("\"vaes\"", "\"sha_ni\"");
        assertThat(machine.path("jdks").path(1).path("intrinsics").path("UseChaCha20Intrinsics").isNull()).isTrue();
        assertThat(machine.path("jdks").path(0).path("intrinsics").path("UseChaCha20Intrinsics").asString()).isEqualTo("true");
        assertThat(machine.path("cryptoBackend").asString()).isEqualTo("auto");
    }

    @Test
    void avx512AndAesGcmFlagsAreNamedWhenPresent() {
        Platform platform = Platform.of("flags : fpu avx2 avx512f avx512vl aes vaes", List.of(Platform.parseJdk(99, List.of(
                "     bool UseAESIntrinsics                         = true                                   {diagnostic} {default}",
                "     bool UseAESGCMIntrinsics                      = false                                  {diagnostic} {command line}",
                "    java.vendor = Test Vendor"))));

        assertThat(platform.cpuExtensionsSummary()).isEqualTo("avx2, avx512f, avx512vl, aes, vaes");
        assertThat(platform.hasAvx512()).isTrue();
        assertThat(platform.jdk(99).vendor()).isEqualTo("Test Vendor");
        assertThat(platform.jdk(99).intrinsicsSummary()).contains("UseAESIntrinsics=true", "UseChaCha20Intrinsics: not in this JDK",
                "UseAESGCMIntrinsics=false").doesNotContain("no AES-GCM flag");
        assertThat(Platform.of(null, List.of()).cpuExtensionsSummary()).isEqualTo("not recorded");
        assertThat(platform.jdk(99).cryptoBackend()).isEqualTo("not recorded");
    }

    @Test
    void eachJdksAutoBackendIsReadFromTheLineCryptoBackendInfoAppends() {
        Platform.JdkInfo jdk = Platform.parseJdk(25, List.of(
                "    java.vendor = Test Vendor",
                "    securechannel.crypto.backend = auto: chacha20-poly1305=jdk aes-256-gcm=conscrypt x25519=conscrypt hash=jdk",
                "    securechannel.crypto.backend.aes-256-gcm = conscrypt: BoringSSL"));

        assertThat(jdk.cryptoBackend()).isEqualTo("auto: chacha20-poly1305=jdk aes-256-gcm=conscrypt x25519=conscrypt hash=jdk");
    }

    @Test
    void recordAlgorithmAndBackendNamesAreNormalised() {
        assertThat(CryptoNames.normalise("AES_256_GCM")).isEqualTo(CryptoNames.AES_256_GCM);
        assertThat(CryptoNames.normalise("aes-256-gcm")).isEqualTo(CryptoNames.AES_256_GCM);
        assertThat(CryptoNames.normalise("CHACHA20_POLY1305")).isEqualTo(CryptoNames.CHACHA20_POLY1305);
        assertThat(CryptoNames.normalise("something-else")).isEqualTo("something-else");
        assertThat(CryptoNames.backendSummary(List.of())).isEqualTo("auto");
    }

    private static ReportModel full;

    /** Every fixture, with the reference rounds in report-fixtures/reference; built once. */
    private static ReportModel fullModel() throws IOException, URISyntaxException {
        if (full == null) {
            Path fixtures = fixtures();
            full = TransportReport.build(TransportReport.Options.parse("--results-dir", fixtures.toString(),
                    "--inference", fixtures.resolve("minilm-inference.json").toString()), GENERATED_AT);
        }
        return full;
    }

    private ReportModel modelWith(Path resultsDir) throws IOException {
        return TransportReport.build(TransportReport.Options.parse("--results-dir", resultsDir.toString(),
                "--inference", resultsDir.resolve("absent.json").toString()), GENERATED_AT);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(SameRunReferenceTest.class.getResource("/report-fixtures").toURI());
    }

    private static SameRunReference.Compared compared(SameRunReference sameRun, String id) {
        return sameRun.comparisons().stream().filter(figure -> figure.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no figure " + id));
    }

    private static Target target(SameRunReference sameRun, String id) {
        return sameRun.targets().stream().filter(target -> target.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no target " + id));
    }
}
