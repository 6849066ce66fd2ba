package dev.securechannel.sample;

/**
 * Client input the service will not embed. The message is meant for the client: it is sent
 * back as the Error frame's reason or the HTTP 400 body, so it says what to change.
 */
public final class InvalidInputException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong with the input, phrased for the client */
    public InvalidInputException(String reason) {
        super(reason);
    }
}
