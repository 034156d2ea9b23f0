package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.ConformanceClient.OCTETS;
import static dev.meridian.agent.conformance.ConformanceClient.SPEC_ERROR_CODES;
import static dev.meridian.agent.conformance.ConformanceClient.assertError;
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
  class Pull extends PullCases {}

  @Nested
  class Push extends PushCases {}

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
