/**
 * README.md's Java examples, compiled: each file holds one example verbatim (after its
 * package line), and {@link dev.securechannel.readme.ReadmeExamplesTest} fails when the
 * README and these files drift apart.
 */
package dev.securechannel.readme;
