package dev.securechannel.bench.report;

import dev.securechannel.bench.report.Targets.Target;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the report shows, computed once from the inputs; the Markdown and JSON renderings
 * are two views of it.
 *
 * @param generatedAt       when the report was generated (ISO-8601)
 * @param run               the run and the machine
 * @param versions          library versions from the bench classpath
 * @param jmhVersion        JMH's version, from the results
 * @param jdks              figures per JDK, newest first
 * @param impact            the real-world impact, null when the inference times were not given
 * @param impactUnavailable why there is no impact section, when {@code impact} is null
 * @param targets           the targets and their outcomes
 * @param inputs            the files read
 * @param warnings          inputs skipped and why
 * @param platform          the CPU's extensions and each JDK's version, vendor and crypto intrinsics
 * @param cryptoBackend     the crypto backend(s) the results measured ({@link CryptoNames#backendSummary})
 * @param sameRun           the reference crate measured on this machine in this run (or why not)
 * @param capacity          the capacity run's section, null when it was not measured or could not be read
 */
public record ReportModel(String generatedAt, RunDescription run, Map<String, String> versions, String jmhVersion,
                          List<JdkFigures> jdks, @Nullable RealWorldImpact impact, String impactUnavailable,
                          List<Target> targets, List<String> inputs, List<String> warnings,
                          Platform platform, String cryptoBackend, SameRunReference sameRun, @Nullable CapacitySection capacity) {

    /** The figures of a JDK feature release, or null when it was not run. */
    public @Nullable JdkFigures jdk(int feature) {
        return jdks.stream().filter(figures -> figures.feature() == feature).findFirst().orElse(null);
    }

    /** Builds the model from parsed inputs. */
    public static ReportModel build(String generatedAt, RunDescription run, Map<String, String> versions,
                                    List<JmhResult> results, @Nullable InferenceTimes inference, String inferenceProblem,
                                    List<String> inputs, List<String> warnings, Platform platform, SameRunReference sameRun,
                                    @Nullable CapacitySection capacity) {
        List<JdkFigures> jdks = results.isEmpty() ? List.of() : JdkFigures.byJdk(results);
        JdkFigures impactJdk = RealWorldImpact.preferredJdk(jdks);
        RealWorldImpact impact = null;
        String impactUnavailable = "";
        if (inference == null) {
            impactUnavailable = inferenceProblem.isEmpty()
                    ? "Not measured: no inference timings were given (minilm-inference.json)." : "Not measured: " + inferenceProblem;
        } else if (impactJdk == null) {
            impactUnavailable = "Not measured: the run has no transport results to compare with the inference times.";
        } else {
            impact = RealWorldImpact.of(impactJdk, inference);
        }
        String jmhVersion = results.stream().map(JmhResult::jmhVersion).distinct().reduce((a, b) -> a + ", " + b).orElse("unknown");
        return new ReportModel(generatedAt, run, Collections.unmodifiableMap(new LinkedHashMap<>(versions)), jmhVersion, jdks, impact, impactUnavailable,
                Targets.evaluate(jdks.stream().filter(figures -> figures.feature() == Targets.TARGET_JDK).findFirst().orElse(null)),
                List.copyOf(inputs), List.copyOf(warnings), platform, CryptoNames.backendSummary(results), sameRun,
                capacity);
    }
}
