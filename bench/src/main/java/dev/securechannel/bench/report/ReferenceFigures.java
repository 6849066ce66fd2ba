package dev.securechannel.bench.report;

import java.util.Map;

/**
 * The reference's published figures: the Rust crate {@code confidential-ml-transport}
 * (protocol v4), in-process over {@code tokio::io::duplex}, mock attestation, ChaCha20-Poly1305,
 * X25519 + HKDF-SHA256, on an Azure Standard_DC4ads_v5 (4-vCPU AMD EPYC 7763, SEV-SNP), from
 * its repository's {@code benchmark_results/transport_performance_azure_dc4ads_v5.md}
 * (Transport Performance Report generated 2026-02-07, criterion medians).
 *
 * <p>These are the only figures in the report not measured by the run.
 */
public final class ReferenceFigures {

    /** Where the figures come from. */
    public static final String SOURCE = "confidential-ml-transport, benchmark_results/transport_performance_azure_dc4ads_v5.md"
            + " (Azure DC4ads_v5, 4-vCPU AMD EPYC 7763 SEV-SNP, Rust 1.93, tokio::io::duplex, 2026-02-07)";

    /** Full handshake with mock attestation, p50, microseconds. */
    public static final double HANDSHAKE_P50_MICROS = 168.2;

    /** Steady-state round trip p50 by payload size in bytes, microseconds. */
    public static final Map<Integer, Double> ROUND_TRIP_P50_MICROS = Map.of(
            1536, 123.8,
            4096, 139.5,
            393216, 1620.0);

    /** One-way throughput by message size in bytes (bursts of 682, 256, 2 and 1 messages), bytes per second. */
    public static final Map<Integer, Double> ONE_WAY_BYTES_PER_SECOND = Map.of(
            1536, 411.2e6,
            4096, 618.1e6,
            393216, 725.1e6,
            1048576, 519.3e6);

    private ReferenceFigures() {
    }
}
