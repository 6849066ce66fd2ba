package dev.securechannel;

import java.util.Objects;

/**
 * A configuration refused before any connection. The {@link #reason()} is always
 * {@link FailureReason#CONFIGURATION_REJECTED}; {@link #problem()} says which rule refused
 * it, so that a report can advise without reading the message, which is for people.
 */
public class ConfigurationRejectedException extends SecureChannelException {

    private static final long serialVersionUID = 1L;

    private final ConfigurationProblem problem;

    public ConfigurationRejectedException(ConfigurationProblem problem, String detail) {
        super(FailureReason.CONFIGURATION_REJECTED, detail);
        this.problem = Objects.requireNonNull(problem);
    }

    public ConfigurationRejectedException(ConfigurationProblem problem, String detail, Throwable cause) {
        super(FailureReason.CONFIGURATION_REJECTED, detail, cause);
        this.problem = Objects.requireNonNull(problem);
    }

    /** Which rule refused the configuration. */
    public ConfigurationProblem problem() {
        return problem;
    }

    @Override
    public String detailCode() {
        return problem.code();
    }
}
