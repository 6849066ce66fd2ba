/**
 * The secure-channel endpoint on the servlet stack (Spring WebSocket on Tomcat).
 */
@NullMarked
package dev.securechannel.server.servlet;

import org.jspecify.annotations.NullMarked;
