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
 * Asks a peer for its register snapshot ({@code GET /admin/v1/snapshot}) and hands back its lines as a stream: the
 * snapshot is never held in memory. The body is first copied to a local temporary file at disk speed (deleted when
 * the stream closes) and merged from there: merging runs at a few thousand registers a second, and a peer whose
 * answer the reader drained that slowly closed the connection at its idle timeout (5 minutes) after about 1.6 of
 * the 4.2 million registers of a million-tag registry.
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

  /** The snapshot's lines, spooled in the system's temporary directory; see {@link #open(Region, java.nio.file.Path)}. */
  public InputStream open(Region peer) {
    return open(peer, null);
  }

  /**
   * The snapshot's lines; the caller closes the stream. The body is first copied to a file in {@code spool} (the
   * blob store's scratch directory: on the data disk, emptied at start, so a kill mid-download leaves nothing for
   * long; null for the system's temporary directory). {@link SnapshotException} if the peer does not serve one.
   */
  public InputStream open(Region peer, java.nio.file.Path spool) {
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
      return localCopy(response.body(), spool);
    } catch (IOException e) {
      throw new SnapshotException("region " + peer.id() + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnapshotException("interrupted asking region " + peer.id() + " for its snapshot", e);
    }
  }

  private static InputStream localCopy(InputStream body, java.nio.file.Path spool) throws IOException {
    java.nio.file.Path copy = spool == null ? java.nio.file.Files.createTempFile("meridian-snapshot-", ".jsonl")
        : java.nio.file.Files.createTempFile(spool, "meridian-snapshot-", ".jsonl");
    try (body) {
      java.nio.file.Files.copy(body, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return java.nio.file.Files.newInputStream(copy, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException | RuntimeException e) {
      java.nio.file.Files.deleteIfExists(copy);
      throw e;
    }
  }
}
