package dev.securechannel.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity run's three measurements on a small scale against a real server in its own JVM:
 * the figures come out, and past the limits the server refuses with 1013 while every
 * established session keeps answering. How large the figures are is the report's business.
 */
class CapacityRunTest {

    @Test
    @Timeout(300)
    void measuresIdleSessionsHandshakesAndRefusesPastTheLimitsWithoutHarmingEstablishedSessions(@TempDir Path out) throws Exception {
        CapacityRun.Options options = new CapacityRun.Options(List.of("reactive"), 200, 100, Duration.ofSeconds(2), 2, out);

        CapacityRun.IdleSessions idle = CapacityRun.idleSessions("reactive", options);
        assertThat(idle.opened()).isEqualTo(200);
        assertThat(idle.firstFailure()).isNull();
        assertThat(idle.answered()).isEqualTo(idle.checked()).isPositive();
        assertThat(idle.heapPerSession()).isPositive();

        CapacityRun.HandshakeRate rate = CapacityRun.handshakeRate("reactive", "sev-snp", options);
        assertThat(rate.handshakes()).isPositive();
        assertThat(rate.failures()).isZero();
        assertThat(rate.serverCpuMillisPerHandshake()).isPositive();

        CapacityRun.Limits limits = CapacityRun.limits("reactive", options);
        assertThat(limits.overSessions()).startsWith("refused").contains("1013");
        assertThat(limits.answeringAtMaxSessions()).isEqualTo(limits.maxSessions());
        assertThat(limits.overPending()).startsWith("refused").contains("1013");
        assertThat(limits.answeringAtMaxPending()).isEqualTo(limits.establishedAtMaxPending()).isPositive();
        assertThat(limits.afterPendingFreed()).isEqualTo("opened");

        assertThat(CapacityReport.markdown(List.of(idle), List.of(rate), List.of(limits), options))
                .contains("## Capacity", "| reactive | 200 of 200 |", "SEV-SNP report, cached collateral", "1013");
    }
}
