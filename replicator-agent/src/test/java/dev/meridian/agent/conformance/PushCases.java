package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.OciConformanceTest.oci;
import static dev.meridian.agent.conformance.OciConformanceTest.pushImage;
import static dev.meridian.agent.conformance.OciConformanceTest.repository;
import static dev.meridian.agent.conformance.ConformanceClient.OCTETS;
import static dev.meridian.agent.conformance.ConformanceClient.assertDigestHeader;
import static dev.meridian.agent.conformance.ConformanceClient.assertError;
import static dev.meridian.agent.conformance.ConformanceClient.assertNoBody;
import static dev.meridian.agent.conformance.ConformanceClient.assertUploadRange;
import static dev.meridian.agent.conformance.ConformanceClient.errorCodes;
import static dev.meridian.agent.conformance.ConformanceClient.json;
import static dev.meridian.agent.conformance.ConformanceClient.text;
import static dev.meridian.agent.conformance.ConformanceClient.withQuery;
import static dev.meridian.agent.conformance.ConformanceContent.OCI_MANIFEST;
import static dev.meridian.agent.conformance.ConformanceContent.UNKNOWN_DIGEST;
import static dev.meridian.agent.conformance.ConformanceContent.config;
import static dev.meridian.agent.conformance.ConformanceContent.digest;
import static dev.meridian.agent.conformance.ConformanceContent.image;
import static dev.meridian.agent.conformance.ConformanceContent.layer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.conformance.OciConformanceTest.PushedImage;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Push: monolithic, streamed and chunked uploads, cross-repository mounts, manifest uploads. */
abstract class PushCases {
  @Test
  void postStartsASessionWithALocationAndNoBody() {
    String repository = repository();
    HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
    assertThat(post.statusCode()).isEqualTo(202);
    assertThat(oci.locationPath(post)).startsWith("/v2/" + repository + "/blobs/uploads/");
    assertNoBody(post);
  }

  @Test
  void aStreamedPatchWithoutContentRangeThenAPutWithTheDigestCreatesTheBlob() {
    String repository = repository();
    byte[] blob = ConformanceContent.randomBlob(1, 42);
    HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
    HttpResponse<byte[]> patch = oci.withBody("PATCH", oci.location(post), blob, "Content-Type", OCTETS);
    assertThat(patch.statusCode()).as(text(patch)).isEqualTo(202);
    assertNoBody(patch);
    assertUploadRange(patch, blob.length);
    HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(patch), "digest=" + digest(blob)),
        new byte[0], "Content-Type", OCTETS);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    assertThat(oci.locationPath(put)).isEqualTo("/v2/" + repository + "/blobs/" + digest(blob));
    assertDigestHeader(put, digest(blob));
    assertNoBody(put);
    assertThat(oci.get(oci.location(put)).body()).isEqualTo(blob);
  }

  @Test
  void aPatchBodyOfUnknownLengthIsTakenWhole() {
    String repository = repository();
    byte[] blob = ConformanceContent.randomBlob(2, 300_000);
    HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
    HttpResponse<byte[]> patch = oci.streamed("PATCH", oci.location(post), blob, "Content-Type", OCTETS);
    assertThat(patch.statusCode()).as(text(patch)).isEqualTo(202);
    assertUploadRange(patch, blob.length);
    HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(patch), "digest=" + digest(blob)), new byte[0]);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    assertThat(oci.get("/v2/" + repository + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void aMonolithicPostWithTheDigestCreatesTheBlobOrStartsASession() {
    String repository = repository();
    byte[] config = config();
    assertThat(oci.get("/v2/" + repository + "/blobs/" + digest(config)).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> post = oci.withBody("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest(config),
        config, "Content-Type", OCTETS);
    assertThat(post.statusCode()).as(text(post)).isIn(201, 202);
    oci.location(post);
    HttpResponse<byte[]> get = oci.get("/v2/" + repository + "/blobs/" + digest(config));
    assertThat(get.statusCode()).isEqualTo(post.statusCode() == 202 ? 404 : 200);
    if (post.statusCode() == 201) {
      assertDigestHeader(post, digest(config));
      assertNoBody(post);
      assertThat(get.body()).isEqualTo(config);
    }
  }

  @Test
  void aPostThenAPutWithTheWholeBlobIs201() {
    String repository = repository();
    for (byte[] blob : List.of(config(), layer("a layer blob"))) {
      HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
      assertThat(post.statusCode()).isEqualTo(202);
      HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(post), "digest=" + digest(blob)), blob,
          "Content-Type", OCTETS);
      assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
      assertThat(oci.locationPath(put)).isEqualTo("/v2/" + repository + "/blobs/" + digest(blob));
      assertDigestHeader(put, digest(blob));
      assertThat(oci.get("/v2/" + repository + "/blobs/" + digest(blob)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aChunkThatDoesNotStartAtTheUploadsOffsetIs416() {
    String repository = repository();
    byte[] blob = ConformanceContent.randomBlob(3, 42);
    byte[] second = Arrays.copyOfRange(blob, 22, 42);
    HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
    HttpResponse<byte[]> patch = oci.withBody("PATCH", oci.location(post), second,
        "Content-Type", OCTETS, "Content-Range", "22-41");
    assertThat(patch.statusCode()).as(text(patch)).isEqualTo(416);
    errorCodes(patch);
    HttpResponse<byte[]> status = oci.get(oci.location(post));
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(oci.locationPath(status)).isEqualTo(oci.locationPath(post));
  }

  @Test
  void chunksInOrderCompleteTheBlobWhileARetriedChunkIs416AndTheStatusShowsTheRange() {
    String repository = repository();
    byte[] blob = ConformanceContent.randomBlob(4, 42);
    byte[] first = Arrays.copyOfRange(blob, 0, 22);
    byte[] second = Arrays.copyOfRange(blob, 22, 42);
    HttpResponse<byte[]> post = oci.withBody("POST", "/v2/" + repository + "/blobs/uploads/", new byte[0]);
    assertThat(post.statusCode()).isEqualTo(202);
    String session = oci.location(post);

    HttpResponse<byte[]> one = oci.withBody("PATCH", session, first, "Content-Type", OCTETS, "Content-Range", "0-21");
    assertThat(one.statusCode()).as(text(one)).isEqualTo(202);
    assertThat(one.headers().firstValue("Range")).contains("0-21");
    assertNoBody(one);
    oci.location(one);

    HttpResponse<byte[]> retried = oci.withBody("PATCH", session, first, "Content-Type", OCTETS, "Content-Range", "0-21");
    assertThat(retried.statusCode()).as(text(retried)).isEqualTo(416);

    HttpResponse<byte[]> status = oci.get(session);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-21");

    HttpResponse<byte[]> two = oci.withBody("PATCH", oci.location(status), second,
        "Content-Type", OCTETS, "Content-Range", "22-41");
    assertThat(two.statusCode()).as(text(two)).isEqualTo(202);
    assertUploadRange(two, 42);

    HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(two), "digest=" + digest(blob)), new byte[0],
        "Content-Type", OCTETS);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    oci.location(put);
    assertThat(oci.get("/v2/" + repository + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void aPutMayCarryTheLastChunkWithItsContentRange() {
    String repository = repository();
    byte[] blob = ConformanceContent.randomBlob(5, 25);
    HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
    HttpResponse<byte[]> one = oci.withBody("PATCH", oci.location(post), Arrays.copyOfRange(blob, 0, 3),
        "Content-Type", OCTETS, "Content-Range", "0-2");
    assertThat(one.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(one), "digest=" + digest(blob)),
        Arrays.copyOfRange(blob, 3, 25), "Content-Type", OCTETS, "Content-Range", "3-24");
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    oci.location(put);
    assertThat(oci.get("/v2/" + repository + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void mountingWithoutFromAnUnknownBlobStartsAnUpload() {
    String target = repository();
    HttpResponse<byte[]> post = oci.post("/v2/" + target + "/blobs/uploads/?mount=" + UNKNOWN_DIGEST);
    assertThat(post.statusCode()).as(text(post)).isEqualTo(202);
    assertThat(oci.locationPath(post)).startsWith("/v2/" + target + "/blobs/uploads/");
  }

  @Test
  void mountingFromAnotherRepositoryLinksTheBlobAt201OrStartsAnUpload() {
    String source = repository();
    String target = repository();
    byte[] blob = ConformanceContent.randomBlob(6, 42);
    oci.pushBlob(source, blob);
    HttpResponse<byte[]> post = oci.post("/v2/" + target + "/blobs/uploads/?mount=" + digest(blob) + "&from=" + source);
    assertThat(post.statusCode()).as(text(post)).isIn(201, 202);
    if (post.statusCode() == 201) {
      assertThat(oci.locationPath(post)).isEqualTo("/v2/" + target + "/blobs/" + digest(blob));
      assertDigestHeader(post, digest(blob));
      assertNoBody(post);
      HttpResponse<byte[]> get = oci.get(oci.location(post));
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(blob);
    } else {
      assertThat(oci.locationPath(post)).startsWith("/v2/" + target + "/blobs/uploads/");
    }
  }

  @Test
  void mountingAKnownBlobWithoutFromStartsAnUploadSinceAutomaticCrossMountIsOff() {
    String source = repository();
    String target = repository();
    byte[] blob = ConformanceContent.randomBlob(7, 42);
    oci.pushBlob(source, blob);
    HttpResponse<byte[]> post = oci.post("/v2/" + target + "/blobs/uploads/?mount=" + digest(blob));
    assertThat(post.statusCode()).as(text(post)).isEqualTo(202);
    assertThat(oci.locationPath(post)).startsWith("/v2/" + target + "/blobs/uploads/");
    assertThat(oci.get("/v2/" + target + "/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
  }

  @Test
  void mountingFromARepositoryWithoutTheBlobStartsAnUpload() {
    String source = repository();
    String target = repository();
    pushImage(source, "v1");
    HttpResponse<byte[]> post = oci.post("/v2/" + target + "/blobs/uploads/?mount=" + UNKNOWN_DIGEST + "&from=" + source);
    assertThat(post.statusCode()).as(text(post)).isEqualTo(202);
    assertThat(oci.locationPath(post)).startsWith("/v2/" + target + "/blobs/uploads/");
  }

  @Test
  void aManifestPutByTagIs201WithLocationAndDigest() {
    PushedImage image = pushImage(repository(), "seed");
    for (int i = 0; i < 4; i++) {
      HttpResponse<byte[]> put = oci.putManifest(image.repository(), "test" + i, OCI_MANIFEST, image.manifest());
      assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
      assertThat(oci.locationPath(put)).isEqualTo("/v2/" + image.repository() + "/manifests/" + image.digest());
      assertDigestHeader(put, image.digest());
      assertNoBody(put);
    }
    HttpResponse<byte[]> get =
        oci.get("/v2/" + image.repository() + "/manifests/" + image.digest(), "Accept", OCI_MANIFEST);
    assertThat(get.statusCode()).isEqualTo(200);
  }

  @Test
  void aManifestPutByDigestIs201AndAddsNoTag() {
    PushedImage image = pushImage(repository(), "only");
    byte[] config = config();
    oci.pushBlob(image.repository(), config);
    byte[] manifest = image(config, List.of(image.layer()));
    HttpResponse<byte[]> put = oci.putManifest(image.repository(), digest(manifest), OCI_MANIFEST, manifest);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    assertThat(oci.locationPath(put)).isEqualTo("/v2/" + image.repository() + "/manifests/" + digest(manifest));
    assertDigestHeader(put, digest(manifest));
    assertThat(json(oci.get("/v2/" + image.repository() + "/tags/list")).get("tags").toString()).isEqualTo("[\"only\"]");
  }

  @Test
  void aManifestWithNoLayersAndNoMediaTypeFieldIsAccepted() {
    String repository = repository();
    byte[] config = config();
    oci.pushBlob(repository, config);
    byte[] manifest = ConformanceContent.imageWithoutLayers(config);
    HttpResponse<byte[]> put = oci.putManifest(repository, "emptylayer", OCI_MANIFEST, manifest);
    assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
    oci.location(put);
    HttpResponse<byte[]> get = oci.get("/v2/" + repository + "/manifests/emptylayer", "Accept", OCI_MANIFEST);
    assertThat(get.body()).isEqualTo(manifest);
    assertThat(oci.delete("/v2/" + repository + "/manifests/" + digest(manifest)).statusCode()).isEqualTo(202);
  }

  @Test
  void aManifestWhoseBlobsAreNotInTheRepositoryIsRefusedWithManifestBlobUnknown() {
    String repository = repository();
    byte[] config = config();
    byte[] layer = layer("never pushed");
    oci.pushBlob(repository, config);
    HttpResponse<byte[]> put = oci.putManifest(repository, "v1", OCI_MANIFEST, image(config, List.of(layer)));
    assertError(put, 400, "MANIFEST_BLOB_UNKNOWN");
    HttpResponse<byte[]> noConfig = oci.putManifest(repository, "v1", OCI_MANIFEST, image(config(), List.of()));
    assertError(noConfig, 400, "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void theEmptyJsonBlobHasTheDigestTheSpecNames() {
    String repository = repository();
    assertThat(oci.pushBlob(repository, ConformanceContent.EMPTY_JSON))
        .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    HttpResponse<byte[]> head = oci.head("/v2/" + repository + "/blobs/" + digest(ConformanceContent.EMPTY_JSON));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains("2");
  }
}
