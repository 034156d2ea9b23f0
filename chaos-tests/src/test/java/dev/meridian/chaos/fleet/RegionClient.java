package dev.meridian.chaos.fleet;

import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.FleetCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain OCI distribution API calls against one region, straight to its agent (clients do not go through
 * the fault proxies: the faults are between regions). Every call has a 15 s timeout; an I/O failure surfaces
 * as {@link UncheckedIOException}, so a caller can tell "the registry said no" (a status) from "no answer".
 *
 * <p>Every request carries {@code Meridian-Internal: no-read-through}, as requests between regions do: the
 * checker must see what each region holds itself, not what it would fetch from a peer on demand (which would
 * also change what it holds).
 */
public final class RegionClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String region;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  public RegionClient(String region, int port) {
    this.region = region;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  public String region() {
    return region;
  }

  public HttpResponse<byte[]> send(String method, String pathOrLocation, BodyPublisher body, String... headers) {
    URI given = base.resolve(pathOrLocation);
    URI uri = base.resolve(given.getRawPath() + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery()));
    var builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, body)
        .header("Meridian-Internal", "no-read-through")
        // Internal requests (local content only) are honoured for the fleet credential alone.
        .header("Authorization", FleetCredential.authorization(TestCredentials.FLEET_KEY));
    if (headers.length > 0) builder.headers(headers);
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(region + ": " + method + " " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POST then PUT of the whole blob; the status of the PUT (201 when stored). */
  public int pushBlob(String repository, byte[] bytes) {
    var started = send("POST", "/v2/" + repository + "/blobs/uploads/", BodyPublishers.noBody());
    if (started.statusCode() != 202) return started.statusCode();
    String location = started.headers().firstValue("Location").orElseThrow();
    String put = location + (location.contains("?") ? "&" : "?") + "digest=" + Digest.sha256Of(bytes);
    return send("PUT", put, BodyPublishers.ofByteArray(bytes), "Content-Type", "application/octet-stream").statusCode();
  }

  public int putManifest(String repository, String reference, byte[] manifest, String mediaType) {
    return send("PUT", "/v2/" + repository + "/manifests/" + reference, BodyPublishers.ofByteArray(manifest),
        "Content-Type", mediaType).statusCode();
  }

  public int deleteManifest(String repository, String reference) {
    return send("DELETE", "/v2/" + repository + "/manifests/" + reference, BodyPublishers.noBody()).statusCode();
  }

  /** The repository's tags (the first 1000, the most a page may hold); empty when the repository is unknown here. */
  public List<String> tags(String repository) {
    var response = send("GET", "/v2/" + repository + "/tags/list?n=1000", BodyPublishers.noBody());
    if (response.statusCode() == 404) return List.of();
    expect(response, 200);
    var tags = new ArrayList<String>();
    json(response).path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /** The digest a HEAD of the manifest answers with, if it is served here. */
  public Optional<Digest> headManifest(String repository, String reference) {
    var response = send("HEAD", "/v2/" + repository + "/manifests/" + reference, BodyPublishers.noBody(),
        "Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json");
    if (response.statusCode() == 404) return Optional.empty();
    expect(response, 200);
    return Optional.of(Digest.parse(response.headers().firstValue("Docker-Content-Digest").orElseThrow()));
  }

  public Optional<byte[]> getManifest(String repository, String reference) {
    return getBytes("/v2/" + repository + "/manifests/" + reference);
  }

  public Optional<byte[]> getBlob(String repository, Digest digest) {
    return getBytes("/v2/" + repository + "/blobs/" + digest);
  }

  /** The digests in the referrers index of {@code subject}, in the order served. */
  public List<Digest> referrers(String repository, Digest subject) {
    var response = send("GET", "/v2/" + repository + "/referrers/" + subject, BodyPublishers.noBody());
    expect(response, 200);
    var digests = new ArrayList<Digest>();
    json(response).path("manifests").forEach(m -> digests.add(Digest.parse(m.path("digest").asText())));
    return digests;
  }

  private Optional<byte[]> getBytes(String path) {
    var response = send("GET", path, BodyPublishers.noBody(),
        "Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json");
    if (response.statusCode() == 404) return Optional.empty();
    expect(response, 200);
    return Optional.of(response.body());
  }

  private void expect(HttpResponse<byte[]> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(region + ": " + response.request().method() + " " + response.uri() + " -> "
          + response.statusCode() + " " + new String(response.body()));
    }
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.uri(), e);
    }
  }
}
