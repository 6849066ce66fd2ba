package dev.securechannel.cli;

/**
 * An input the command cannot use: a missing or unreadable file, a certificate file without
 * certificates, bad hex, an option value the policy refuses. Ends the command with
 * {@link ExitStatus#USAGE} and its message on one line of stderr.
 */
final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
        super(message);
    }

    InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
