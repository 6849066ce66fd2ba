package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FigureTest {

    @Test
    void sampledFigureTakesJmhPercentilesAndTheMedianIntervalFromTheHistogram() {
        // 50 samples, 10 each of 10..14 us: ranks 18 and 33 bound the median's 95% interval.
        JmhResult result = sampled("us/op", Map.of(50.0, 12.0, 95.0, 14.0, 99.0, 14.0),
                new double[][] {{10, 10}, {11, 10}, {12, 10}, {13, 10}, {14, 10}});

        Figure figure = Figure.of(result);

        assertThat(figure.p50Micros()).isEqualTo(12.0);
        assertThat(figure.p95Micros()).isEqualTo(14.0);
        assertThat(figure.ciLowMicros()).isEqualTo(11.0);
        assertThat(figure.ciHighMicros()).isEqualTo(13.0);
        assertThat(figure.samples()).isEqualTo(50);
        assertThat(figure.sampled()).isTrue();
    }

    @Test
    void nanosecondAndMillisecondScoresBecomeMicroseconds() {
        Figure fromNanos = Figure.of(sampled("ns/op", Map.of(50.0, 8000.0), new double[][] {{8000, 3}}));
        Figure fromMillis = Figure.of(sampled("ms/op", Map.of(50.0, 1.5), new double[][] {{1.5, 3}}));

        assertThat(fromNanos.p50Micros()).isEqualTo(8.0, within(1e-9));
        assertThat(fromMillis.p50Micros()).isEqualTo(1500.0, within(1e-9));
    }

    @Test
    void averagedFigureIsTheMedianOfIterationMeansWithJmhsInterval() {
        JmhResult result = new JmhResult("WebSocketBenchmark", "roundTrip1536", "avgt", Map.of(), "25.0.3", "vm", "java",
                List.of(), "1.37", "settings", "us/op", 4.0, new double[] {3.0, 5.0}, Map.of(),
                new double[] {3, 1, 2, 10}, new double[0][], 0.1, false, "test.json");

        Figure figure = Figure.of(result);

        assertThat(figure.p50Micros()).isEqualTo(2.5);
        assertThat(figure.p95Micros()).isNaN();
        assertThat(figure.ciLowMicros()).isEqualTo(3.0);
        assertThat(figure.ciHighMicros()).isEqualTo(5.0);
        assertThat(figure.samples()).isEqualTo(4);
        assertThat(figure.sampled()).isFalse();
    }

    @Test
    void throughputIsBytesOverTheMedianTimeAndItsIntervalIsTheTimeIntervalInverted() {
        Figure figure = new Figure(400, Double.NaN, Double.NaN, 200, 800, 10, true, 0);

        assertThat(figure.bytesPerSecond(1_000_000)).isEqualTo(2.5e9, within(1.0));
        assertThat(figure.bytesPerSecondInterval(1_000_000)).containsExactly(new double[] {1.25e9, 5e9}, within(1.0));
    }

    static JmhResult sampled(String unit, Map<Double, Double> percentiles, double[][] histogram) {
        return new JmhResult("InMemoryTransportBenchmark", "roundTrip", "sample", Map.of("mode", "secure", "size", "1536"),
                "25.0.3", "vm", "java", List.of(), "1.37", "settings", unit, 0, new double[] {0, 0}, percentiles,
                new double[0], histogram, 0.0, false, "test.json");
    }
}
