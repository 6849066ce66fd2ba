/**
 * The connections the transport benchmarks drive, behind one small interface
 * ({@link dev.securechannel.bench.endpoint.MessageEndpoint}): the secure channel, the same
 * framing without cryptography, JDK TLS 1.3 over an {@code SSLEngine} pair or over loopback
 * sockets; and the peer threads that echo or drain them.
 *
 * <p>Everything here exists so that a secure-channel figure and its baselines are measured by
 * the same benchmark code over the same transport, differing only in what the endpoint does.
 */
package dev.securechannel.bench.endpoint;
