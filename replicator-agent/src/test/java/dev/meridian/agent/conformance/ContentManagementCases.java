package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.ConformanceClient.assertError;
import static dev.meridian.agent.conformance.ConformanceClient.assertNoBody;
import static dev.meridian.agent.conformance.ConformanceClient.json;
import static dev.meridian.agent.conformance.ConformanceClient.text;
import static dev.meridian.agent.conformance.ConformanceContent.OCI_MANIFEST;
import static dev.meridian.agent.conformance.ConformanceContent.digest;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Content management: deleting tags, manifests and blobs. The suite accepts 400/405 where a registry
 * refuses deletes; Meridian allows them, so these tests hold it to 202 and to the 404s that follow.
 */
abstract class ContentManagementCases {
  abstract ConformanceClient oci();

  abstract String newRepository();

  private int tagCount(String repository) {
    HttpResponse<byte[]> list = oci().get("/v2/" + repository + "/tags/list");
    assertThat(list.statusCode()).as(text(list)).isEqualTo(200);
    return json(list).get("tags").size();
  }

  @Test
  void deletingATagIs202AndTheTagListShrinks() {
    String repository = newRepository();
    OciConformanceTest.PushedImage image = OciConformanceTest.pushImage(repository, "tagtest0");
    oci().putManifest(repository, "other", OCI_MANIFEST, image.manifest());
    int before = tagCount(repository);

    HttpResponse<byte[]> delete = oci().delete("/v2/" + repository + "/manifests/tagtest0");
    assertThat(delete.statusCode()).as(text(delete)).isEqualTo(202);
    assertNoBody(delete);
    assertThat(tagCount(repository)).isLessThan(before);
    assertThat(oci().get("/v2/" + repository + "/manifests/tagtest0").statusCode()).isEqualTo(404);
    // The tag only: the manifest stays, by digest and by its other tag.
    assertThat(oci().get("/v2/" + repository + "/manifests/" + image.digest()).statusCode()).isEqualTo(200);
    assertThat(oci().get("/v2/" + repository + "/manifests/other").statusCode()).isEqualTo(200);
  }

  @Test
  void deletingAManifestByDigestIs202ThenItAndItsTagsAre404() {
    String repository = newRepository();
    OciConformanceTest.PushedImage image = OciConformanceTest.pushImage(repository, "tagtest0");
    oci().putManifest(repository, "other", OCI_MANIFEST, image.manifest());
    int before = tagCount(repository);

    HttpResponse<byte[]> delete = oci().delete("/v2/" + repository + "/manifests/" + image.digest());
    assertThat(delete.statusCode()).as(text(delete)).isEqualTo(202);
    assertNoBody(delete);
    for (String reference : List.of(image.digest(), "tagtest0", "other")) {
      assertThat(oci().get("/v2/" + repository + "/manifests/" + reference).statusCode()).as(reference).isEqualTo(404);
      assertThat(oci().head("/v2/" + repository + "/manifests/" + reference).statusCode()).as(reference).isEqualTo(404);
    }
    assertThat(tagCount(repository)).isLessThan(before);
    assertError(oci().delete("/v2/" + repository + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void deletingTheTagThenTheManifestAnswers202Twice() {
    String repository = newRepository();
    OciConformanceTest.PushedImage image = OciConformanceTest.pushImage(repository, "tagtest0");
    assertThat(oci().delete("/v2/" + repository + "/manifests/tagtest0").statusCode()).isEqualTo(202);
    HttpResponse<byte[]> byDigest = oci().delete("/v2/" + repository + "/manifests/" + image.digest());
    assertThat(byDigest.statusCode()).as(text(byDigest)).isIn(202, 404);
    assertThat(oci().get("/v2/" + repository + "/manifests/" + image.digest()).statusCode()).isIn(404, 200);
    assertThat(byDigest.statusCode()).as("Meridian deletes a manifest whose tag is gone").isEqualTo(202);
    assertThat(oci().get("/v2/" + repository + "/manifests/" + image.digest()).statusCode()).isEqualTo(404);
  }

  @Test
  void deletingABlobIs202ThenGetHeadAndDeleteAre404() {
    String repository = newRepository();
    OciConformanceTest.PushedImage image = OciConformanceTest.pushImage(repository, "tagtest0");
    assertThat(oci().delete("/v2/" + repository + "/manifests/tagtest0").statusCode()).isEqualTo(202);
    for (byte[] blob : List.of(image.config(), image.layer())) {
      String path = "/v2/" + repository + "/blobs/" + digest(blob);
      HttpResponse<byte[]> delete = oci().delete(path);
      assertThat(delete.statusCode()).as(text(delete)).isEqualTo(202);
      assertNoBody(delete);
      assertError(oci().get(path), 404, "BLOB_UNKNOWN");
      assertThat(oci().head(path).statusCode()).isEqualTo(404);
      assertError(oci().delete(path), 404, "BLOB_UNKNOWN");
    }
  }

  @Test
  void aBlobDeletedInOneRepositoryStaysInAnother() {
    String first = newRepository();
    String second = newRepository();
    byte[] blob = ConformanceContent.randomBlob(11, 64);
    oci().pushBlob(first, blob);
    oci().pushBlob(second, blob);
    assertThat(oci().delete("/v2/" + first + "/blobs/" + digest(blob)).statusCode()).isEqualTo(202);
    assertThat(oci().get("/v2/" + first + "/blobs/" + digest(blob)).statusCode()).isEqualTo(404);
    assertThat(oci().get("/v2/" + second + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void aDeletedBlobCanBePushedAgain() {
    String repository = newRepository();
    byte[] blob = ConformanceContent.randomBlob(12, 64);
    oci().pushBlob(repository, blob);
    assertThat(oci().delete("/v2/" + repository + "/blobs/" + digest(blob)).statusCode()).isEqualTo(202);
    oci().pushBlob(repository, blob);
    assertThat(oci().get("/v2/" + repository + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }
}
