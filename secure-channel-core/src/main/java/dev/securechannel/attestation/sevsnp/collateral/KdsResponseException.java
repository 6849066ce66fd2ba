package dev.securechannel.attestation.sevsnp.collateral;

import java.io.IOException;
import java.net.URI;

/**
 * AMD KDS answered with an HTTP status other than 200 (404 for an unknown chip or TCB, 5xx
 * during outages). The message names the status and the URL.
 */
public class KdsResponseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final URI uri;

    public KdsResponseException(int statusCode, URI uri, String detail) {
        super("AMD KDS answered HTTP " + statusCode + " for " + uri + (detail.isEmpty() ? "" : ": " + detail));
        this.statusCode = statusCode;
        this.uri = uri;
    }

    /** The HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The URL requested. */
    public URI uri() {
        return uri;
    }
}
