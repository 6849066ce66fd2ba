/**
 * Message-oriented transports that carry whole frames: an in-memory duplex pair (tests and
 * benchmarks, like the reference's in-process duplex) and plain TCP (interoperable with the
 * Rust reference crate's TCP peers).
 */
@NullMarked
package dev.securechannel.transport;

import org.jspecify.annotations.NullMarked;
