package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.OCI_INDEX;
import static dev.meridian.agent.registry.TestImages.OCI_MANIFEST;
import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.registry.TestImages;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests, tags, the catalog, referrers and name validation end to end, over real sockets. */
class ManifestApiTest extends ApiTestBase {

  /** Pushes a config and a layer to {@code repository} and returns a manifest over them (not pushed). */
  private byte[] imageIn(String repository, long seed) {
    byte[] config = randomBytes(seed, 60);
    byte[] layer = randomBytes(seed + 1, 2000);
    pushBlob(repository, config);
    pushBlob(repository, layer);
    return TestImages.manifest(config, List.of(layer));
  }

  @Test
  void manifestPushedByTagIsPulledByTagAndDigest() {
    byte[] manifest = imageIn("team/app", 1);
    String digest = digest(manifest).toString();
    HttpResponse<byte[]> put = put("/v2/team/app/manifests/v1", OCI_MANIFEST, manifest);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("Location")).contains("/v2/team/app/manifests/" + digest);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(digest);
    assertThat(put.headers().firstValue("OCI-Subject")).isEmpty();

    for (String reference : List.of("v1", digest)) {
      HttpResponse<byte[]> got = send(HttpRequest.newBuilder(uri("/v2/team/app/manifests/" + reference))
          .header("Accept", OCI_MANIFEST + ", " + OCI_INDEX));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(manifest);
      assertThat(got.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
      assertThat(got.headers().firstValue("Docker-Content-Digest")).contains(digest);
      HttpResponse<byte[]> head = head("/v2/team/app/manifests/" + reference);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(manifest.length));
    }
    HttpResponse<byte[]> notAccepted = send(HttpRequest.newBuilder(uri("/v2/team/app/manifests/v1"))
        .header("Accept", "application/vnd.docker.distribution.manifest.v2+json"));
    assertError(notAccepted, 404, "MANIFEST_UNKNOWN");
    assertThat(send(HttpRequest.newBuilder(uri("/v2/team/app/manifests/v1")).header("Accept", "*/*")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void manifestReferencingAMissingBlobIsRefusedAndNothingChanges() {
    byte[] config = randomBytes(3, 60);
    pushBlob("app", config);
    byte[] manifest = TestImages.manifest(config, List.of(randomBytes(4, 100)));
    assertError(put("/v2/app/manifests/v1", OCI_MANIFEST, manifest), 400, "MANIFEST_BLOB_UNKNOWN");
    assertThat(head("/v2/app/manifests/v1").statusCode()).isEqualTo(404);
    assertThat(head("/v2/app/manifests/" + digest(manifest)).statusCode()).isEqualTo(404);
    assertThat(readJson(get("/v2/app/tags/list").body()).get("tags")).isEmpty();
  }

  @Test
  void anIndexWhoseChildWasUploadedOnlyAsABlobIsRefusedUntilTheChildIsPushedAsAManifest() {
    byte[] child = imageIn("team/multi", 40);
    pushBlob("team/multi", child); // the child's bytes alone: its config and layer say nothing of being here
    byte[] index = TestImages.index(List.of(child));

    assertError(put("/v2/team/multi/manifests/v1", OCI_INDEX, index), 400, "MANIFEST_BLOB_UNKNOWN");
    assertThat(head("/v2/team/multi/manifests/v1").statusCode()).isEqualTo(404);

    assertThat(put("/v2/team/multi/manifests/" + digest(child), OCI_MANIFEST, child).statusCode()).isEqualTo(201);
    assertThat(put("/v2/team/multi/manifests/v1", OCI_INDEX, index).statusCode()).isEqualTo(201);
  }

  @Test
  void invalidManifestsAreRefusedWithTheirCodes() {
    byte[] manifest = imageIn("app", 5);
    assertError(put("/v2/app/manifests/v1", OCI_MANIFEST, "{\"schemaVersion\":".getBytes()), 400, "MANIFEST_INVALID");
    assertError(put("/v2/app/manifests/v1", null, manifest), 400, "MANIFEST_INVALID");
    assertError(put("/v2/app/manifests/v1", "text/plain", manifest), 400, "MANIFEST_INVALID");
    String otherDigest = digest(randomBytes(6, 10)).toString();
    assertError(put("/v2/app/manifests/" + otherDigest, OCI_MANIFEST, manifest), 400, "DIGEST_INVALID");
    assertThat(head("/v2/app/manifests/" + otherDigest).statusCode()).isEqualTo(404);
    assertThat(head("/v2/app/manifests/" + digest(manifest)).statusCode()).isEqualTo(404);
    assertError(put("/v2/app/manifests/-bad-tag", OCI_MANIFEST, manifest), 400, "TAG_INVALID");
  }

  @Test
  void manifestLargerThanFourMebibytesIs413WithAnOciError() {
    byte[] huge = new byte[4 * 1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    assertError(put("/v2/app/manifests/v1", OCI_MANIFEST, huge), 413, "MANIFEST_INVALID");
    // Without Content-Length (chunked), the limit holds as the body arrives.
    HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(uri("/v2/app/manifests/v1"))
        .header("Content-Type", OCI_MANIFEST)
        .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))));
    assertError(chunked, 413, "MANIFEST_INVALID");
    assertThat(get("/v2/").statusCode()).isEqualTo(200);
  }

  @Test
  void deleteByDigestTakesItsTagsAlongAndDeleteByTagOnlyTheTag() {
    byte[] manifest = imageIn("app", 7);
    String digest = digest(manifest).toString();
    put("/v2/app/manifests/v1", OCI_MANIFEST, manifest);
    put("/v2/app/manifests/v2", OCI_MANIFEST, manifest);
    assertThat(delete("/v2/app/manifests/v2").statusCode()).isEqualTo(202);
    assertError(get("/v2/app/manifests/v2"), 404, "MANIFEST_UNKNOWN");
    assertThat(get("/v2/app/manifests/" + digest).statusCode()).isEqualTo(200);

    assertThat(delete("/v2/app/manifests/" + digest).statusCode()).isEqualTo(202);
    assertError(get("/v2/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertError(get("/v2/app/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
    assertThat(readJson(get("/v2/app/tags/list").body()).get("tags")).isEmpty();
    assertError(delete("/v2/app/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void tagListAndCatalogPaginateWithLinkHeaders() {
    byte[] manifest = imageIn("app", 9);
    for (String tag : List.of("c", "a", "e", "b", "d")) put("/v2/app/manifests/" + tag, OCI_MANIFEST, manifest);
    HttpResponse<byte[]> first = get("/v2/app/tags/list?n=2");
    JsonNode body = readJson(first.body());
    assertThat(body.get("name").asText()).isEqualTo("app");
    assertThat(body.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(first.headers().firstValue("Link")).contains("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
    HttpResponse<byte[]> last = get("/v2/app/tags/list?n=3&last=b");
    assertThat(readJson(last.body()).get("tags").toString()).isEqualTo("[\"c\",\"d\",\"e\"]");
    assertThat(last.headers().firstValue("Link")).isEmpty();
    HttpResponse<byte[]> none = get("/v2/app/tags/list?n=0");
    assertThat(readJson(none.body()).get("tags")).isEmpty();
    assertThat(none.headers().firstValue("Link")).isEmpty();
    assertError(get("/v2/app/tags/list?n=many"), 400, "PAGINATION_NUMBER_INVALID");
    assertError(get("/v2/nowhere/tags/list"), 404, "NAME_UNKNOWN");

    pushBlob("zeta", randomBytes(11, 10));
    HttpResponse<byte[]> catalog = get("/v2/_catalog?n=1");
    assertThat(readJson(catalog.body()).get("repositories").toString()).isEqualTo("[\"app\"]");
    assertThat(catalog.headers().firstValue("Link")).contains("</v2/_catalog?n=1&last=app>; rel=\"next\"");
    assertThat(readJson(get("/v2/_catalog?last=app").body()).get("repositories").toString()).isEqualTo("[\"zeta\"]");
  }

  @Test
  void referrersAreListedAndFilteredByArtifactType() {
    byte[] image = imageIn("app", 12);
    put("/v2/app/manifests/v1", OCI_MANIFEST, image);
    byte[] config = randomBytes(12, 60);
    byte[] signature = TestImages.manifest(config, List.of(), "application/vnd.example.sig", image, OCI_MANIFEST);
    byte[] sbom = TestImages.manifest(config, List.of(), "application/vnd.example.sbom", image, OCI_MANIFEST);
    HttpResponse<byte[]> put = put("/v2/app/manifests/" + digest(signature), OCI_MANIFEST, signature);
    assertThat(put.headers().firstValue("OCI-Subject")).contains(digest(image).toString());
    put("/v2/app/manifests/" + digest(sbom), OCI_MANIFEST, sbom);

    HttpResponse<byte[]> all = get("/v2/app/referrers/" + digest(image));
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).contains(OCI_INDEX);
    assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
    assertThat(readJson(all.body()).get("manifests")).hasSize(2);

    HttpResponse<byte[]> filtered = get("/v2/app/referrers/" + digest(image) + "?artifactType=application%2Fvnd.example.sig");
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    JsonNode manifests = readJson(filtered.body()).get("manifests");
    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).get("digest").asText()).isEqualTo(digest(signature).toString());
    assertThat(manifests.get(0).get("artifactType").asText()).isEqualTo("application/vnd.example.sig");
    assertThat(manifests.get(0).get("size").asLong()).isEqualTo(signature.length);

    assertThat(readJson(get("/v2/app/referrers/" + digest(config)).body()).get("manifests")).isEmpty();
    assertError(get("/v2/app/referrers/sha256:nothex"), 400, "DIGEST_INVALID");
  }

  @Test
  void invalidRepositoryNamesAreNameInvalid() {
    assertError(get("/v2/Team/app/tags/list"), 400, "NAME_INVALID");
    assertError(get("/v2/a//b/tags/list"), 400, "NAME_INVALID");
    assertError(get("/v2/" + "a".repeat(300) + "/tags/list"), 400, "NAME_INVALID");
    assertError(post("/v2/UPPER/blobs/uploads/"), 400, "NAME_INVALID");
    assertError(put("/v2/-x/manifests/v1", OCI_MANIFEST, new byte[] {'{', '}'}), 400, "NAME_INVALID");
    assertThat(readJson(get("/v2/_catalog").body()).get("repositories")).isEmpty();
  }

  @Test
  void dotDotInANameIsRefusedNotResolved() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      raw.send("GET /v2/a/../b/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertError(raw.read(false), 400, "NAME_INVALID");
      raw.send("GET /v2/../tags/list HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertError(raw.read(false), 400, "NAME_INVALID");
      raw.send("GET /v2/a%zz/manifests/v1 HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertError(raw.read(false), 400, "NAME_INVALID");
    }
  }

  @Test
  void unknownManifestAndRepositoryAre404() {
    imageIn("app", 13);
    assertError(get("/v2/app/manifests/nope"), 404, "MANIFEST_UNKNOWN");
    assertError(get("/v2/app/manifests/sha256:" + "1".repeat(64)), 404, "MANIFEST_UNKNOWN");
    assertError(get("/v2/nowhere/manifests/v1"), 404, "NAME_UNKNOWN");
    assertError(delete("/v2/nowhere/manifests/v1"), 404, "NAME_UNKNOWN");
  }
}
