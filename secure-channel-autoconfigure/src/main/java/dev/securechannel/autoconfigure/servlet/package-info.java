/**
 * Auto-configuration of the secure-channel endpoint on the servlet stack.
 */
@NullMarked
package dev.securechannel.autoconfigure.servlet;

import org.jspecify.annotations.NullMarked;
