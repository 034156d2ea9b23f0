package dev.meridian.agent.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.RegionAgent;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client of one region sees, through the OCI distribution API only: which manifest a reference resolves
 * to, whether a blob can be fetched, who refers to a manifest. Wraps {@link RegistryHttp} and {@link Skopeo} for
 * an agent in this JVM or in a child process, so fleet tests read like "region B resolves app:v1 to D".
 */
public final class RegionClient {
  /** Every manifest type a registry may serve; a GET without one of them may be refused. */
  public static final String MANIFEST_ACCEPT = String.join(", ",
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final URI base;
  private final RegistryHttp http;
  private final Skopeo skopeo;

  public RegionClient(String name, URI base) {
    this.name = name;
    this.base = base;
    this.http = new RegistryHttp(() -> base);
    this.skopeo = new Skopeo(base.getHost() + ":" + base.getPort());
  }

  public static RegionClient of(RegionAgent agent) {
    return new RegionClient(agent.config().region().value(), URI.create(agent.url()));
  }

  public static RegionClient of(AgentProcess agent) {
    return new RegionClient(agent.region(), agent.baseUri());
  }

  public String name() {
    return name;
  }

  public RegistryHttp http() {
    return http;
  }

  public Skopeo skopeo() {
    return skopeo;
  }

  /** {@code docker://HOST:PORT/repositoryAndReference}, for skopeo. */
  public String ref(String repositoryAndReference) {
    return skopeo.ref(repositoryAndReference);
  }

  /** The bytes the region serves for {@code repository:reference} (a tag or a digest), if it serves any. */
  public Optional<byte[]> manifest(String repository, String reference) {
    HttpResponse<byte[]> response = http.get("/v2/" + repository + "/manifests/" + reference, "Accept", MANIFEST_ACCEPT);
    if (response.statusCode() == 404) return Optional.empty();
    if (response.statusCode() != 200) throw new AssertionError(name + ": " + RegistryHttp.describe(response));
    return Optional.of(response.body());
  }

  /** The digest of what {@code repository:reference} resolves to here, computed over the bytes served. */
  public Optional<Digest> resolve(String repository, String reference) {
    return manifest(repository, reference).map(Digest::sha256Of);
  }

  /** Whether a GET of the blob answers 200 with exactly the bytes its digest names. */
  public boolean servesBlob(String repository, Digest digest) {
    HttpResponse<byte[]> response = http.get("/v2/" + repository + "/blobs/" + digest);
    if (response.statusCode() == 404) return false;
    if (response.statusCode() != 200) throw new AssertionError(name + ": " + RegistryHttp.describe(response));
    return Digest.sha256Of(response.body()).equals(digest);
  }

  /**
   * Whether a GET of the blob's first byte answers: cheap enough to ask in a tight loop about a large blob.
   * A zero-length blob answers 200 or 416 to a range, so only 404 means "not served".
   */
  public boolean blobGettable(String repository, Digest digest) {
    HttpResponse<byte[]> response = http.get("/v2/" + repository + "/blobs/" + digest, "Range", "bytes=0-0");
    if (response.statusCode() == 404) return false;
    if (response.statusCode() == 206 || response.statusCode() == 200 || response.statusCode() == 416) return true;
    throw new AssertionError(name + ": " + RegistryHttp.describe(response));
  }

  /** The status of a HEAD of the blob: 200 when served, 404 when not. */
  public int blobStatus(String repository, Digest digest) {
    return http.head("/v2/" + repository + "/blobs/" + digest).statusCode();
  }

  /** The digests the referrers API lists for {@code subject}. */
  public List<Digest> referrers(String repository, Digest subject) {
    HttpResponse<byte[]> response = http.get("/v2/" + repository + "/referrers/" + subject);
    if (response.statusCode() != 200) throw new AssertionError(name + ": " + RegistryHttp.describe(response));
    var digests = new ArrayList<Digest>();
    for (JsonNode descriptor : json(response.body()).path("manifests")) {
      digests.add(Digest.parse(descriptor.path("digest").asText()));
    }
    return digests;
  }

  /** The config, layers and child manifests a manifest references, in document order. */
  public static List<Digest> references(byte[] manifest) {
    JsonNode node = json(manifest);
    var digests = new ArrayList<Digest>();
    if (node.has("config")) digests.add(Digest.parse(node.path("config").path("digest").asText()));
    for (String field : List.of("layers", "manifests")) {
      for (JsonNode d : node.path(field)) digests.add(Digest.parse(d.path("digest").asText()));
    }
    return digests;
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "region " + name + " at " + base;
  }
}
