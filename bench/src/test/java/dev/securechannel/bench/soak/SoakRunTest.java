package dev.securechannel.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short soak against a real server: it churns, vanishes clients, writes its files and passes. */
class SoakRunTest {

    @Test
    @Timeout(180)
    void aShortSoakOnReactorNettyChurnsVanishesAndStaysLevel(@TempDir Path out) throws Exception {
        SoakRun.Options options = new SoakRun.Options(Duration.ofSeconds(20), "reactive", 4, Duration.ofSeconds(1), 256 * 1024, 0.3,
                42, out);

        SoakRun.Result result = SoakRun.run(options, line -> { });

        assertThat(result.failures()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.last("sessions_opened")).isPositive();
        assertThat(result.last("requests_answered")).isPositive();
        assertThat(result.last("tensors_answered")).isPositive();
        assertThat(result.last("vanished_in_handshake") + result.last("vanished_in_session")).as("clients vanished").isPositive();
        assertThat(result.last("server_registry")).as("connections the server still holds").isZero();
        assertThat(result.verdicts()).extracting(GrowthCheck.Verdict::series).contains("heap_after_gc_bytes", "threads", "open_fds",
                "server_sessions", "server_registry");
        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        assertThat(csv.get(0)).isEqualTo(String.join(",", ResourceSampler.COLUMNS));
        // A header and a row per sample: at least the three after the warm-up that the growth checks need, however slow the machine.
        assertThat(csv).hasSizeGreaterThan(3);
        assertThat(Files.readString(out.resolve("soak.svg"))).startsWith("<svg").contains("heap_after_gc_bytes", "<polyline");
        assertThat(Files.readString(out.resolve("soak-summary.md"))).contains("# Soak: passed", "requests_answered");
    }

    @Test
    void optionsParseWithDefaultsAndRefuseWhatTheyDoNotKnow() {
        SoakRun.Options options = SoakRun.Options.parse("--duration=1h", "--stack=jetty", "--clients=16");
        assertThat(options.duration()).isEqualTo(Duration.ofHours(1));
        assertThat(options.stack()).isEqualTo("jetty");
        assertThat(options.clients()).isEqualTo(16);
        assertThat(options.sampleEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.warmUp()).isEqualTo(Duration.ofMinutes(5));
        assertThat(SoakRun.Options.parse().warmUp()).isEqualTo(Duration.ofMinutes(2));

        assertThatThrownBy(() -> SoakRun.Options.parse("--durations=1h")).hasMessageContaining("unknown option --durations");
        assertThatThrownBy(() -> SoakRun.Options.parse("--duration=soon")).hasMessageContaining("not a duration: soon");
        assertThatThrownBy(() -> SoakRun.Options.parse("--stack=undertow")).hasMessageContaining("unknown stack undertow");
        assertThatThrownBy(() -> SoakRun.Options.parse("--clients=many")).hasMessageContaining("not a number");
    }
}
