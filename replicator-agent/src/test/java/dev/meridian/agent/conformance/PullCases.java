package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.OciConformanceTest.oci;
import static dev.meridian.agent.conformance.OciConformanceTest.pushImage;
import static dev.meridian.agent.conformance.OciConformanceTest.repository;
import static dev.meridian.agent.conformance.ConformanceClient.assertDigestHeader;
import static dev.meridian.agent.conformance.ConformanceClient.assertError;
import static dev.meridian.agent.conformance.ConformanceClient.text;
import static dev.meridian.agent.conformance.ConformanceContent.OCI_MANIFEST;
import static dev.meridian.agent.conformance.ConformanceContent.UNKNOWN_DIGEST;
import static dev.meridian.agent.conformance.ConformanceContent.config;
import static dev.meridian.agent.conformance.ConformanceContent.digest;
import static dev.meridian.agent.conformance.ConformanceContent.image;
import static dev.meridian.agent.conformance.ConformanceContent.layer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.conformance.OciConformanceTest.PushedImage;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pull: blobs and manifests by digest and tag, HEAD and GET, their 404s, and the teardown deletes. */
abstract class PullCases {
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
