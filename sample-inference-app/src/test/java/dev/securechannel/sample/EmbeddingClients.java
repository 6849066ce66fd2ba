package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the tests do as a client of the running app: secure-channel sessions and REST calls. */
final class EmbeddingClients implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;
    private final SecureChannelClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    EmbeddingClients(int port) {
        this.port = port;
        this.client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"),
                SessionConfig.insecureDevelopment()).build();
    }

    ClientSession connect() throws IOException {
        return client.connect();
    }

    /** Sends {@code text} as a Data frame and returns the reply, which must be an F32 tensor named "embedding". */
    static Tensor embed(ClientSession session, String text) throws Exception {
        Message reply = session.request(text.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(reply).as("reply to %s", text).isInstanceOf(Message.TensorMessage.class);
        Tensor tensor = ((Message.TensorMessage) reply).tensor();
        assertThat(tensor.name()).isEqualTo("embedding");
        assertThat(tensor.dtype()).isEqualTo(DType.F32);
        return tensor;
    }

    /** One sentence's embedding over a fresh secure-channel session. */
    float[] embedOverSecureChannel(String sentence) throws Exception {
        try (ClientSession session = connect()) {
            return embed(session, sentence).toFloatArray();
        }
    }

    HttpResponse<String> postEmbed(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/embed"))
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postEmbed(String json) throws Exception {
        return postEmbed(json.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }

    static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }

    @Override
    public void close() {
        client.close();
    }
}
