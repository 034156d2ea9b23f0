package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.ConformanceClient.OCTETS;
import static dev.meridian.agent.conformance.ConformanceClient.SPEC_ERROR_CODES;
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

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.core.clock.RegionId;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI distribution-spec v1.1 conformance workflows (pull, push, content discovery, content management,
 * error codes) against a real standalone agent, each test in a repository of its own. Status codes are held
 * to what the conformance suite accepts; where the suite accepts several, so do these tests, unless Meridian
 * promises one of them (deletes are enabled: 202). Meridian runs the suite with automatic cross-mount off.
 */
class OciConformanceTest {
  @TempDir static Path dir;
  static RegionAgent agent;
  static ConformanceClient oci;
  private static final AtomicInteger repositories = new AtomicInteger();

  @BeforeAll
  static void startAgent() {
    agent = RegionAgent.start(new AgentConfig(new RegionId("conformance"), "127.0.0.1", 0, dir));
    oci = new ConformanceClient(agent.url());
  }

  @AfterAll
  static void stopAgent() {
    agent.close();
  }

  /** A repository no other test uses, nested like the suite's namespaces. */
  static String repository() {
    return "conformance/ns" + repositories.incrementAndGet();
  }

  /** An image pushed the way the suite's setup pushes one: config, layer, manifest by tag. */
  record PushedImage(String repository, byte[] config, byte[] layer, byte[] manifest) {
    String digest() {
      return ConformanceContent.digest(manifest);
    }
  }

  static PushedImage pushImage(String repository, String tag) {
    byte[] config = config();
    byte[] layer = layer("you bothered to find out what was in here");
    byte[] manifest = image(config, List.of(layer));
    oci.pushBlob(repository, config);
    oci.pushBlob(repository, layer);
    HttpResponse<byte[]> put = oci.putManifest(repository, tag, OCI_MANIFEST, manifest);
    assertThat(put.statusCode()).as(text(put)).isBetween(200, 299);
    return new PushedImage(repository, config, layer, manifest);
  }

  @Nested
  class Pull {
    @Test
    void headOfAnUnknownBlobIs404() {
      PushedImage image = pushImage(repository(), "tagtest0");
      assertThat(oci.head("/v2/" + image.repository() + "/blobs/" + UNKNOWN_DIGEST).statusCode()).isEqualTo(404);
    }

    @Test
    void headOfAStoredBlobIs200WithItsDigestAndLength() {
      PushedImage image = pushImage(repository(), "tagtest0");
      HttpResponse<byte[]> head = oci.head("/v2/" + image.repository() + "/blobs/" + digest(image.config()));
      assertThat(head.statusCode()).isEqualTo(200);
      assertDigestHeader(head, digest(image.config()));
      assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(image.config().length));
      assertThat(head.body()).isEmpty();
    }

    @Test
    void getOfAnUnknownBlobIs404BlobUnknown() {
      PushedImage image = pushImage(repository(), "tagtest0");
      assertError(oci.get("/v2/" + image.repository() + "/blobs/" + UNKNOWN_DIGEST), 404, "BLOB_UNKNOWN");
    }

    @Test
    void getOfAStoredBlobIs200WithItsBytesAndDigest() {
      PushedImage image = pushImage(repository(), "tagtest0");
      for (byte[] blob : List.of(image.config(), image.layer())) {
        HttpResponse<byte[]> get = oci.get("/v2/" + image.repository() + "/blobs/" + digest(blob));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);
        assertDigestHeader(get, digest(blob));
      }
    }

    @Test
    void headAndGetOfAnUnknownManifestAre404EvenWhenTheReferenceIsNoValidTag() {
      PushedImage image = pushImage(repository(), "tagtest0");
      for (String reference : List.of(".INVALID_MANIFEST_NAME", "nosuchtag", UNKNOWN_DIGEST)) {
        String path = "/v2/" + image.repository() + "/manifests/" + reference;
        assertThat(oci.head(path).statusCode()).as("HEAD " + reference).isEqualTo(404);
        assertThat(oci.get(path).statusCode()).as("GET " + reference).isEqualTo(404);
      }
    }

    @Test
    void headOfAManifestByDigestOrTagIs200WithDigestTypeAndLength() {
      PushedImage image = pushImage(repository(), "tagtest0");
      for (String reference : List.of(image.digest(), "tagtest0")) {
        HttpResponse<byte[]> head =
            oci.head("/v2/" + image.repository() + "/manifests/" + reference, "Accept", OCI_MANIFEST);
        assertThat(head.statusCode()).as(text(head)).isEqualTo(200);
        assertDigestHeader(head, image.digest());
        assertThat(head.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(image.manifest().length));
      }
    }

    @Test
    void getOfAManifestByDigestOrTagReturnsTheBytesAsPushed() {
      PushedImage image = pushImage(repository(), "tagtest0");
      for (String reference : List.of(image.digest(), "tagtest0")) {
        HttpResponse<byte[]> get = oci.get("/v2/" + image.repository() + "/manifests/" + reference, "Accept", OCI_MANIFEST);
        assertThat(get.statusCode()).as(text(get)).isEqualTo(200);
        assertThat(get.body()).isEqualTo(image.manifest());
        assertDigestHeader(get, image.digest());
        assertThat(get.headers().firstValue("Content-Type")).contains(OCI_MANIFEST);
      }
    }

    @Test
    void aManifestPushedByDigestIsPulledByDigest() {
      PushedImage tagged = pushImage(repository(), "tagtest0");
      byte[] config = config();
      oci.pushBlob(tagged.repository(), config);
      byte[] manifest = image(config, List.of(tagged.layer()));
      HttpResponse<byte[]> put = oci.putManifest(tagged.repository(), digest(manifest), OCI_MANIFEST, manifest);
      assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
      HttpResponse<byte[]> head =
          oci.head("/v2/" + tagged.repository() + "/manifests/" + digest(manifest), "Accept", OCI_MANIFEST);
      assertThat(head.statusCode()).isEqualTo(200);
      assertDigestHeader(head, digest(manifest));
    }

    @Test
    void teardownDeletesManifestsBeforeTheirBlobs() {
      PushedImage image = pushImage(repository(), "tagtest0");
      String name = "/v2/" + image.repository();
      assertThat(oci.delete(name + "/manifests/" + image.digest()).statusCode()).isEqualTo(202);
      assertThat(oci.delete(name + "/blobs/" + digest(image.config())).statusCode()).isEqualTo(202);
      assertThat(oci.delete(name + "/blobs/" + digest(image.layer())).statusCode()).isEqualTo(202);
    }
  }

  @Nested
  class Push {
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

  @Nested
  class ContentDiscovery extends ContentDiscoveryCases {
    @Override
    ConformanceClient oci() {
      return oci;
    }

    @Override
    String newRepository() {
      return repository();
    }
  }

  @Nested
  class ContentManagement extends ContentManagementCases {
    @Override
    ConformanceClient oci() {
      return oci;
    }

    @Override
    String newRepository() {
      return repository();
    }
  }

  @Nested
  class ErrorCodes {
    @Test
    void theBaseRouteAnswers200() {
      HttpResponse<byte[]> base = oci.get("/v2/");
      assertThat(base.statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedDigestReferenceIs400WithASpecCodeOr404() {
      PushedImage image = pushImage(repository(), "tagtest0");
      String path = "/v2/" + image.repository() + "/manifests/sha256:totallywrong";
      HttpResponse<byte[]> get = oci.withBody("GET", path, "blablabla".getBytes(), "Content-Type", OCI_MANIFEST);
      HttpResponse<byte[]> put = oci.putManifest(image.repository(), "sha256:totallywrong", OCI_MANIFEST, "blablabla".getBytes());
      for (HttpResponse<byte[]> response : List.of(get, put)) {
        assertThat(response.statusCode()).as(text(response)).isIn(400, 404);
        if (response.statusCode() == 400) assertThat(SPEC_ERROR_CODES).contains(errorCodes(response).get(0));
      }
    }

    @Test
    void aManifestThatIsNoJsonIs400ManifestInvalid() {
      String repository = repository();
      assertError(oci.putManifest(repository, "v1", OCI_MANIFEST, "blablabla".getBytes()), 400, "MANIFEST_INVALID");
    }

    @Test
    void aBlobWhoseBytesDoNotMatchTheDigestIs400DigestInvalid() {
      String repository = repository();
      HttpResponse<byte[]> post = oci.post("/v2/" + repository + "/blobs/uploads/");
      HttpResponse<byte[]> put = oci.withBody("PUT", withQuery(oci.location(post), "digest=" + UNKNOWN_DIGEST),
          "not hello world".getBytes(), "Content-Type", OCTETS);
      assertError(put, 400, "DIGEST_INVALID");
    }

    @Test
    void everyRefusalCarriesTheSpecsErrorBody() {
      PushedImage image = pushImage(repository(), "v1");
      String name = "/v2/" + image.repository();
      assertError(oci.get(name + "/manifests/nosuchtag"), 404, "MANIFEST_UNKNOWN");
      assertError(oci.get(name + "/blobs/" + UNKNOWN_DIGEST), 404, "BLOB_UNKNOWN");
      assertError(oci.get(name + "/blobs/uploads/00000000-0000-0000-0000-000000000000"), 404, "BLOB_UPLOAD_UNKNOWN");
      assertError(oci.get("/v2/conformance/never-pushed/tags/list"), 404, "NAME_UNKNOWN");
      assertError(oci.get("/v2/Conformance/UPPER/tags/list"), 400, "NAME_INVALID");
      assertError(oci.putManifest(image.repository(), "bad!tag", OCI_MANIFEST, image.manifest()), 400, "TAG_INVALID");
      HttpResponse<byte[]> blobDelete = oci.delete(name + "/blobs/" + UNKNOWN_DIGEST);
      assertError(blobDelete, 404, "BLOB_UNKNOWN");
      for (HttpResponse<byte[]> refusal : List.of(blobDelete, oci.delete(name + "/manifests/" + UNKNOWN_DIGEST))) {
        assertThat(refusal.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(SPEC_ERROR_CODES).containsAll(errorCodes(refusal));
      }
    }
  }
}
