package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few registry calls the harness makes itself (probes, small blobs, manifests), HTTP/1.1 keep-alive. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  // distribution 2.8 answers 404 for an OCI manifest unless the client says it accepts OCI.
  private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json, "
      + "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json";

  private Http() {}

  /** The status of a GET or HEAD; 0 when the connection fails (not up yet). */
  public static int status(String method, String url) {
    return status(method, url, false);
  }

  /**
   * The status of a GET or HEAD answered from what the region itself holds: marked as a peer's request
   * ({@code Meridian-Internal: no-read-through}, with the fleet credential), so a region that lacks the content answers 404 at once instead of
   * fetching it from a peer (read-through). An observer of replication must ask this way, or it measures read-through.
   */
  public static int localStatus(String method, String url) {
    return status(method, url, true);
  }

  private static int status(String method, String url, boolean local) {
    try {
      var builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Accept", MANIFEST_TYPES);
      if (local) {
        builder.header("Meridian-Internal", "no-read-through").header("Authorization", BenchCredentials.fleetAuthorization());
      } else {
        builder.header("Authorization", BenchCredentials.authorization());
      }
      var request = builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String get(String url) {
    var response = send(HttpRequest.newBuilder(URI.create(url)).GET(), "GET " + url);
    requireStatus(response, 200, "GET " + url);
    return response.body();
  }

  /** A JSON {@code PATCH} as admin (an admin API change); returns the status. */
  public static int patchJson(String url, String json) {
    var response = send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)), "PATCH " + url);
    return response.statusCode();
  }

  /** Uploads a blob in one POST-then-PUT (monolithic) and returns nothing: 201 or an exception. */
  public static void putBlob(String registry, String repository, String digest, byte[] bytes) {
    var start = send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), "start upload");
    requireStatus(start, 202, "POST upload in " + repository);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI base = URI.create(registry + "/");
    URI target = base.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    var put = send(HttpRequest.newBuilder(target).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), "PUT upload");
    requireStatus(put, 201, "PUT blob " + digest + " in " + repository);
  }

  /** Starts an upload session ({@code POST .../blobs/uploads/}) and returns the absolute URL that completes it with {@code digest}. */
  public static String startUpload(String registry, String repository, String digest) {
    var start = send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), "start upload");
    requireStatus(start, 202, "POST upload in " + repository);
    String location = start.headers().firstValue("Location").orElseThrow();
    return URI.create(registry + "/").resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest).toString();
  }

  /** What a streamed GET of a blob delivered: its length, the sha256 of its bytes, and the digest header. */
  public record Pulled(long bytes, String digest, String digestHeader) {}

  /** GETs a blob and hashes it as it streams in (one 1 MiB buffer, whatever the size). */
  public static Pulled pullAndHash(String registry, String repository, String digest) {
    var request = HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/blobs/" + digest))
        .header("Authorization", BenchCredentials.authorization()).timeout(Duration.ofSeconds(60)).GET().build();
    try {
      HttpResponse<java.io.InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (var body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IllegalStateException("GET blob " + digest + ": HTTP " + response.statusCode() + " "
              + new String(body.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8));
        }
        var sha = BlobFile.sha256();
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        for (int n; (n = body.read(buffer)) != -1; total += n) sha.update(buffer, 0, n);
        return new Pulled(total, "sha256:" + java.util.HexFormat.of().formatHex(sha.digest()),
            response.headers().firstValue("Docker-Content-Digest").orElse(""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET blob " + digest, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static void putManifest(String registry, String repository, String reference, String mediaType, byte[] bytes) {
    var put = send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/manifests/" + reference))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), "PUT manifest");
    requireStatus(put, 201, "PUT manifest " + repository + ":" + reference);
  }

  private static HttpResponse<String> send(HttpRequest.Builder builder, String what) {
    try {
      builder.header("Authorization", BenchCredentials.authorization());
      return CLIENT.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void requireStatus(HttpResponse<String> response, int expected, String what) {
    if (response.statusCode() != expected) {
      throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
    }
  }
}
