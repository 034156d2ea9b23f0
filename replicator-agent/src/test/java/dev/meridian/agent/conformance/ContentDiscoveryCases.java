package dev.meridian.agent.conformance;

import static dev.meridian.agent.conformance.ConformanceClient.json;
import static dev.meridian.agent.conformance.ConformanceClient.text;
import static dev.meridian.agent.conformance.ConformanceContent.ANNOTATION;
import static dev.meridian.agent.conformance.ConformanceContent.EMPTY_JSON;
import static dev.meridian.agent.conformance.ConformanceContent.OCI_INDEX;
import static dev.meridian.agent.conformance.ConformanceContent.OCI_MANIFEST;
import static dev.meridian.agent.conformance.ConformanceContent.UNKNOWN_DIGEST;
import static dev.meridian.agent.conformance.ConformanceContent.digest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Content discovery: tag listing with {@code n}, {@code last} and {@code Link}, and the referrers API. */
abstract class ContentDiscoveryCases {
  static final String TYPE_A = "application/vnd.nhl.peanut.butter.bagel";
  static final String TYPE_B = "application/vnd.nba.strawberry.jam.croissant";
  static final String TYPE_INDEX = "application/vnd.food.stand";
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  abstract ConformanceClient oci();

  abstract String newRepository();

  /** The referrers setup of the suite, in its order: some artifacts before their subject, one never gets it. */
  record Referrers(String repository, String subject, String missingSubject, Map<String, String> annotations,
      Map<String, String> artifactTypes, String toMissing) {}

  Referrers pushReferrers() {
    String repository = newRepository();
    ConformanceClient oci = oci();
    byte[] blobA = "NHL Peanut Butter on my NHL bagel".getBytes(StandardCharsets.UTF_8);
    byte[] blobB = "NBA Strawberry Jam on my NBA croissant".getBytes(StandardCharsets.UTF_8);
    byte[] subjectConfig = ConformanceContent.config();
    byte[] layer = ConformanceContent.layer("referrers subject layer");
    byte[] subject = ConformanceContent.image(subjectConfig, List.of(layer));
    byte[] missing = ConformanceContent.image(ConformanceContent.config(), List.of(layer));
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();

    oci.pushBlob(repository, EMPTY_JSON);
    oci.pushBlob(repository, blobA);
    byte[] configA = ConformanceContent.configTypedArtifact(TYPE_A, blobA, subject, "test config a");
    byte[] layerA = ConformanceContent.fieldTypedArtifact(TYPE_A, blobA, subject, "test layer a");
    byte[] index = ConformanceContent.indexArtifact(TYPE_INDEX, List.of(configA, layerA), subject, "test index");
    putReferrer(repository, configA, OCI_MANIFEST, subject);
    putReferrer(repository, layerA, OCI_MANIFEST, subject);
    putReferrer(repository, index, OCI_INDEX, subject);

    oci.pushBlob(repository, subjectConfig);
    oci.pushBlob(repository, layer);
    HttpResponse<byte[]> put = oci.putManifest(repository, "tagtest0", OCI_MANIFEST, subject);
    assertThat(put.statusCode()).as(text(put)).isBetween(200, 299);

    oci.pushBlob(repository, blobB);
    byte[] configB = ConformanceContent.configTypedArtifact(TYPE_B, blobB, subject, "test config b");
    byte[] layerB = ConformanceContent.fieldTypedArtifact(TYPE_B, blobB, subject, "test layer b");
    byte[] layerC = ConformanceContent.fieldTypedArtifact(TYPE_B, blobB, missing, null);
    putReferrer(repository, configB, OCI_MANIFEST, subject);
    putReferrer(repository, layerB, OCI_MANIFEST, subject);
    putReferrer(repository, layerC, OCI_MANIFEST, missing);

    annotations.put(digest(configA), "test config a");
    annotations.put(digest(layerA), "test layer a");
    annotations.put(digest(index), "test index");
    annotations.put(digest(configB), "test config b");
    annotations.put(digest(layerB), "test layer b");
    types.put(digest(configA), TYPE_A);
    types.put(digest(layerA), TYPE_A);
    types.put(digest(index), TYPE_INDEX);
    types.put(digest(configB), TYPE_B);
    types.put(digest(layerB), TYPE_B);
    return new Referrers(repository, digest(subject), digest(missing), annotations, types, digest(layerC));
  }

  private void putReferrer(String repository, byte[] manifest, String mediaType, byte[] subject) {
    HttpResponse<byte[]> put = oci().putManifest(repository, digest(manifest), mediaType, manifest);
    assertThat(put.statusCode()).as(text(put)).isBetween(200, 299);
    assertThat(put.headers().firstValue("OCI-Subject")).as(text(put)).contains(digest(subject));
  }

  /** Four tags test0..test3 on one manifest, plus tagtest0 on another. */
  String pushTags() {
    String repository = newRepository();
    OciConformanceTest.PushedImage image = OciConformanceTest.pushImage(repository, "tagtest0");
    byte[] config = ConformanceContent.config();
    oci().pushBlob(repository, config);
    byte[] manifest = ConformanceContent.image(config, List.of(image.layer()));
    for (int i = 0; i < 4; i++) {
      HttpResponse<byte[]> put = oci().putManifest(repository, "test" + i, OCI_MANIFEST, manifest);
      assertThat(put.statusCode()).as(text(put)).isBetween(200, 299);
    }
    return repository;
  }

  List<String> tags(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    List<String> tags = new ArrayList<>();
    json(response).get("tags").forEach(tag -> tags.add(tag.asText()));
    return tags;
  }

  @Test
  void theTagListHoldsEveryTagInLexicalOrder() {
    String repository = pushTags();
    HttpResponse<byte[]> list = oci().get("/v2/" + repository + "/tags/list");
    assertThat(json(list).get("name").asText()).isEqualTo(repository);
    assertThat(tags(list)).containsExactly("tagtest0", "test0", "test1", "test2", "test3");
    assertThat(list.headers().firstValue("Link")).isEmpty();
  }

  @Test
  void nLimitsTheTagListAndALinkPointsAtTheRest() {
    String repository = pushTags();
    HttpResponse<byte[]> page = oci().get("/v2/" + repository + "/tags/list?n=2");
    assertThat(tags(page)).containsExactly("tagtest0", "test0");
    Matcher next = NEXT.matcher(page.headers().firstValue("Link").orElse(""));
    assertThat(next.find()).as("Link rel=next in " + page.headers().map()).isTrue();
    assertThat(next.group(1)).startsWith("/v2/" + repository + "/tags/list?").contains("n=2").contains("last=test0");
  }

  @Test
  void lastStartsTheListAfterTheGivenTag() {
    String repository = pushTags();
    List<String> first = tags(oci().get("/v2/" + repository + "/tags/list?n=2"));
    String last = first.get(first.size() - 1);
    List<String> second = tags(oci().get("/v2/" + repository + "/tags/list?n=2&last=" + last));
    assertThat(second).hasSizeLessThanOrEqualTo(2).doesNotContain(last).containsExactly("test1", "test2");
    assertThat(tags(oci().get("/v2/" + repository + "/tags/list?last=test2"))).containsExactly("test3");
  }

  @Test
  void followingTheLinksVisitsEveryTagOnce() {
    String repository = pushTags();
    List<String> seen = new ArrayList<>();
    String next = "/v2/" + repository + "/tags/list?n=2";
    for (int pages = 0; next != null; pages++) {
      assertThat(pages).isLessThan(5);
      HttpResponse<byte[]> page = oci().get(next);
      seen.addAll(tags(page));
      Matcher link = NEXT.matcher(page.headers().firstValue("Link").orElse(""));
      next = link.find() ? link.group(1) : null;
    }
    assertThat(seen).containsExactly("tagtest0", "test0", "test1", "test2", "test3");
  }

  JsonNode referrerIndex(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(OCI_INDEX);
    JsonNode index = json(response);
    assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.get("mediaType").asText()).isEqualTo(OCI_INDEX);
    assertThat(index.get("manifests").isArray()).isTrue();
    return index.get("manifests");
  }

  @Test
  void referrersOfAnUnknownDigestAreAnEmptyIndex() {
    Referrers referrers = pushReferrers();
    assertThat(referrerIndex(oci().get("/v2/" + referrers.repository() + "/referrers/" + UNKNOWN_DIGEST))).isEmpty();
  }

  @Test
  void referrersOfASubjectListEveryArtifactWithItsAnnotationsAndType() {
    Referrers referrers = pushReferrers();
    JsonNode manifests = referrerIndex(oci().get("/v2/" + referrers.repository() + "/referrers/" + referrers.subject()));
    assertThat(manifests).hasSize(5);
    var digests = new HashSet<String>();
    for (JsonNode descriptor : manifests) {
      String digest = descriptor.get("digest").asText();
      digests.add(digest);
      assertThat(descriptor.get("annotations").size()).isEqualTo(1);
      assertThat(descriptor.get("annotations").get(ANNOTATION).asText()).isEqualTo(referrers.annotations().get(digest));
      assertThat(descriptor.path("artifactType").asText()).isEqualTo(referrers.artifactTypes().get(digest));
      assertThat(descriptor.get("size").asLong()).isPositive();
    }
    assertThat(digests).isEqualTo(referrers.annotations().keySet());
  }

  @Test
  void referrersFilteredByArtifactTypeSaySoAndListOnlyThatType() {
    Referrers referrers = pushReferrers();
    HttpResponse<byte[]> response = oci().get(
        "/v2/" + referrers.repository() + "/referrers/" + referrers.subject() + "?artifactType=" + TYPE_A);
    JsonNode manifests = referrerIndex(response);
    assertThat(response.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    assertThat(manifests).hasSize(2);
    for (JsonNode descriptor : manifests) {
      String digest = descriptor.get("digest").asText();
      assertThat(referrers.artifactTypes().get(digest)).isEqualTo(TYPE_A);
      assertThat(descriptor.get("annotations").get(ANNOTATION).asText()).isEqualTo(referrers.annotations().get(digest));
    }
  }

  @Test
  void referrersOfAManifestNeverPushedListTheArtifactPointingAtIt() {
    Referrers referrers = pushReferrers();
    assertThat(oci().get("/v2/" + referrers.repository() + "/manifests/" + referrers.missingSubject()).statusCode())
        .isEqualTo(404);
    JsonNode manifests =
        referrerIndex(oci().get("/v2/" + referrers.repository() + "/referrers/" + referrers.missingSubject()));
    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).get("digest").asText()).isEqualTo(referrers.toMissing());
  }

  @Test
  void theTeardownDeletesEveryReferrerAndItsSubject() {
    Referrers referrers = pushReferrers();
    String name = "/v2/" + referrers.repository();
    // The suite's order: the index first, the subject before most of its referrers, its tag after it.
    List<String> artifacts = new ArrayList<>(referrers.annotations().keySet());
    List<String> references = List.of(artifacts.get(2), referrers.subject(), artifacts.get(0), artifacts.get(1),
        "tagtest0", artifacts.get(3), artifacts.get(4), referrers.toMissing());
    for (String reference : references) {
      HttpResponse<byte[]> delete = oci().delete(name + "/manifests/" + reference);
      assertThat(delete.statusCode()).as(text(delete)).isIn(202, 404);
    }
    assertThat(referrerIndex(oci().get(name + "/referrers/" + referrers.subject()))).isEmpty();
    for (String blob : List.of(digest(EMPTY_JSON))) {
      assertThat(oci().delete(name + "/blobs/" + blob).statusCode()).isEqualTo(202);
    }
  }
}
