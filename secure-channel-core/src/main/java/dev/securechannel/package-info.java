/**
 * Root of secure-channel: the exception type and failure reasons shared by every layer.
 */
@NullMarked
package dev.securechannel;

import org.jspecify.annotations.NullMarked;
