package dev.securechannel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedFilesTest {

    @Test
    void findsTheProtocolVectors() {
        assertThat(SharedFiles.json("vectors/protocol/kat-v4-1.json").get("protocol_version").asInt()).isEqualTo(4);
    }
}
