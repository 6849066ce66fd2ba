/**
 * The record layer underneath every {@link dev.securechannel.session.SecureSession}:
 * {@link dev.securechannel.internal.session.RecordSession} seals and opens frames under
 * PROTOCOL.md section 4.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.session;

import org.jspecify.annotations.NullMarked;

