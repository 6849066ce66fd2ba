/**
 * README.md's plain-Java metrics example, compiled and run here without Spring; the
 * autoconfigure module's ReadmeExamplesTest checks that README and source agree.
 */
@NullMarked
package dev.securechannel.readme;

import org.jspecify.annotations.NullMarked;

