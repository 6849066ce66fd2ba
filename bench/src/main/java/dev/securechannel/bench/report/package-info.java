/**
 * The Transport Performance Report: {@link dev.securechannel.bench.report.TransportReport}
 * reads JMH JSON results of the transport benchmarks (and a run description, optional inference
 * timings), and writes the report as Markdown and JSON.
 *
 * <p>Every measured figure comes from the inputs; the only constants are the reference's
 * published figures ({@link dev.securechannel.bench.report.ReferenceFigures}) and the targets'
 * thresholds ({@link dev.securechannel.bench.report.Targets}). The Markdown report's words are in
 * {@code transport-performance-report.md.template}, a resource of this package, which
 * {@link dev.securechannel.bench.report.MarkdownReport} fills with the figures.
 */
@NullMarked
package dev.securechannel.bench.report;

import org.jspecify.annotations.NullMarked;

