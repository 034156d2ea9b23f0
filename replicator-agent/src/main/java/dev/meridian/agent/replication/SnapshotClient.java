package dev.meridian.agent.replication;

import dev.meridian.agent.replication.SnapshotSeeder.SnapshotException;
import dev.meridian.topology.Region;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a peer for its register snapshot ({@code GET /admin/v1/snapshot}) and hands back the body as a stream, read
 * as it arrives: the snapshot is never held in memory.
 */
public final class SnapshotClient {
  public static final String PATH = "/admin/v1/snapshot";
  /**
   * How long a joining region waits for a peer's answer: the peer exports its whole snapshot to a file first, which
   * took about two minutes for a million tags (4.2 million registers, 1.4 GB) on a busy two-core machine.
   */
  public static final Duration SNAPSHOT_EXPORT_TIMEOUT = Duration.ofMinutes(15);

  private final HttpClient http;
  private final Duration headersTimeout;

  private final java.util.Optional<String> authorization;

  /**
   * @param tls whose trust https peers are called with
   * @param authorization sent with the request: the fleet credential (a snapshot is for fleet members only)
   */
  public SnapshotClient(Duration connectTimeout, Duration headersTimeout, javax.net.ssl.SSLContext tls,
      java.util.Optional<String> authorization) {
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
        .sslContext(tls).build();
    this.headersTimeout = headersTimeout;
  }

  /** The snapshot's lines; the caller closes the stream. {@link SnapshotException} if the peer does not serve one. */
  public InputStream open(Region peer) {
    String base = peer.url().toString().replaceAll("/+$", "");
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + PATH)).timeout(headersTimeout).GET();
    authorization.ifPresent(value -> builder.header("Authorization", value));
    HttpRequest request = builder.build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new SnapshotException("region " + peer.id() + " answered " + response.statusCode() + " to " + PATH);
      }
      return response.body();
    } catch (IOException e) {
      throw new SnapshotException("region " + peer.id() + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnapshotException("interrupted asking region " + peer.id() + " for its snapshot", e);
    }
  }
}
