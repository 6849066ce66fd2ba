package dev.securechannel.actuate;

import dev.securechannel.internal.protocol.WebSocketMapping;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP and WebSocket calls against a running server, with timeouts on everything. */
final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;

    Http(int port) {
        this.port = port;
    }

    URI webSocket() {
        return URI.create("ws://127.0.0.1:" + port + "/secure-channel");
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).GET().build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Opens a raw WebSocket offering our subprotocol, lets {@code send} misbehave, and returns the server's close code. */
    int misbehave(Consumer<WebSocket> send) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket webSocket = CLIENT.newWebSocketBuilder().subprotocols(WebSocketMapping.SUBPROTOCOL)
                .buildAsync(webSocket(), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                })
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        send.accept(webSocket);
        return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
