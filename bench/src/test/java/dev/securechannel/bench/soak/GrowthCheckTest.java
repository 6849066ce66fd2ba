package dev.securechannel.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** What the soak calls growth without bound, on series whose shape is known. */
class GrowthCheckTest {

    private static final double MIB = 1024 * 1024;
    private static final GrowthCheck HEAP = new GrowthCheck("heap", 32 * MIB, 0.25);

    @Test
    void aLevelSeriesWithNoiseIsBounded() {
        Random noise = new Random(1);
        GrowthCheck.Verdict verdict = judge(HEAP, t -> 100 * MIB + noise.nextGaussian() * 10 * MIB, 600, 120);
        assertThat(verdict.bounded()).as(verdict.describe()).isTrue();
        assertThat(verdict.samples()).isEqualTo(97);
    }

    @Test
    void aStepDuringTheWarmUpThenLevelIsBounded() {
        GrowthCheck.Verdict verdict = judge(HEAP, t -> t < 100 ? 20 * MIB : 180 * MIB, 600, 120);
        assertThat(verdict.bounded()).as(verdict.describe()).isTrue();
    }

    @Test
    void aSteadyLeakIsCaughtEvenWhenEachSampleLooksSmall() {
        // 100 KiB a second: 48,000 KiB over the 480 s window, beyond max(32 MiB, 25% of ~125 MiB).
        GrowthCheck.Verdict verdict = judge(HEAP, t -> 100 * MIB + t * 100 * 1024, 600, 120);
        assertThat(verdict.bounded()).as(verdict.describe()).isFalse();
        assertThat(verdict.growth()).isCloseTo(480 * 100 * 1024, offset(1.0));
        assertThat(verdict.describe()).contains("GROWS");
    }

    @Test
    void aCountThatClimbsByMoreThanItsFloorIsCaught() {
        GrowthCheck threads = new GrowthCheck("threads", 16, 0);
        assertThat(judge(threads, t -> 40 + Math.floor(t / 20), 600, 120).bounded()).isFalse();
        assertThat(judge(threads, t -> 40 + (t % 40 < 20 ? 8 : 0), 600, 120).bounded()).isTrue();
    }

    @Test
    void tooFewSamplesAfterTheWarmUpIsAnErrorNotAVerdict() {
        assertThatThrownBy(() -> judge(HEAP, t -> 0, 10, 120))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run longer");
    }

    /** Samples every 5 s from 0 to {@code end} seconds of {@code shape}. */
    private static GrowthCheck.Verdict judge(GrowthCheck check, DoubleUnaryOperator shape, int end, double warmUp) {
        List<Double> seconds = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int t = 0; t <= end; t += 5) {
            seconds.add((double) t);
            values.add(shape.applyAsDouble(t));
        }
        return check.judge(seconds, values, warmUp);
    }
}
