package dev.meridian.agent.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a peer region's anti-entropy endpoints over HTTP: its per-repository digests, and one repository's
 * registers (one event per line, {@link EventCodec}'s JSON). Failures are {@link IllegalStateException}s
 * naming the peer and why; a round goes on with the next peer.
 */
public final class PeerRegisters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;
  private final EventCodec codec = new EventCodec();

  private final java.util.Optional<String> authorization;

  /**
   * @param tls whose trust https peers are called with
   * @param authorization sent with every request: the fleet credential
   */
  public PeerRegisters(Duration timeout, javax.net.ssl.SSLContext tls, java.util.Optional<String> authorization) {
    this.authorization = authorization;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls).build();
  }

  public Map<RepositoryName, String> summary(URI peer) {
    JsonNode body;
    try {
      body = JSON.readTree(get(peer, "/admin/v1/antientropy/summary"));
    } catch (IOException e) {
      throw new IllegalStateException(peer + " answered a summary that is not JSON: " + e.getMessage(), e);
    }
    return RepairJson.parseSummary(body);
  }

  public List<ReplicationEvent> registers(URI peer, RepositoryName repository) {
    byte[] body = get(peer, "/admin/v1/antientropy/repository/" + repository.value());
    List<ReplicationEvent> events = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        if (i > start) events.add(codec.decode(java.util.Arrays.copyOfRange(body, start, i)));
        start = i + 1;
      }
    }
    return events;
  }

  private byte[] get(URI peer, String path) {
    URI uri = URI.create(peer.toString().replaceAll("/+$", "") + path);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    authorization.ifPresent(value -> builder.header("Authorization", value));
    HttpRequest request = builder.build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
