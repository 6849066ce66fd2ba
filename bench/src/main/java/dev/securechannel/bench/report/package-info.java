/**
 * The Transport Performance Report: {@link dev.securechannel.bench.report.TransportReport}
 * reads JMH JSON results of the transport benchmarks (and a run description, optional inference
 * timings), and writes the report as Markdown and JSON.
 *
 * <p>Every measured figure comes from the inputs; the only constants are the reference's
 * published figures ({@link dev.securechannel.bench.report.ReferenceFigures}) and the targets'
 * thresholds ({@link dev.securechannel.bench.report.Targets}).
 */
@NullMarked
package dev.securechannel.bench.report;

import org.jspecify.annotations.NullMarked;
