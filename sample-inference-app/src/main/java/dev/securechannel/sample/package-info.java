/**
 * The sample inference service: all-MiniLM-L6-v2 sentence embeddings served in process over
 * the secure channel (text in a Data frame, an F32 {@code embedding} tensor back) and over
 * plain HTTP ({@code POST /embed}), with the model's time recorded as its own timer, a live
 * metrics page, and a command-line client ({@link dev.securechannel.sample.EmbedClient}).
 */
@NullMarked
package dev.securechannel.sample;

import org.jspecify.annotations.NullMarked;
