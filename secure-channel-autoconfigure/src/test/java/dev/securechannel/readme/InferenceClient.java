package dev.securechannel.readme;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;

class InferenceClient {

    public static void main(String[] args) throws Exception {
        // Mock attestation and no measurements: only for a server in the development profile.
        // Against a confidential VM, build it with SessionConfig.builder() (the platform's
        // verifier, the expected measurements), or let the starter build it from properties.
        SessionConfig config = SessionConfig.insecureDevelopment();
        URI endpoint = URI.create("ws://localhost:8080/secure-channel");
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, config).build();
             ClientSession session = client.connect()) {
            Message reply = session.request("hello".getBytes(UTF_8), Duration.ofSeconds(5));
            if (reply instanceof Message.Data data) {
                System.out.println(data.text());
            }
        }
    }
}
