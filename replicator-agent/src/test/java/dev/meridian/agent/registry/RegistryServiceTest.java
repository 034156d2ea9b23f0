package dev.meridian.agent.registry;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServiceTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final RepositoryName OTHER = new RepositoryName("team/other");
  private static final MediaType MANIFEST = MediaType.OCI_MANIFEST;

  @TempDir Path dir;
  private RegistryFixture fixture;
  private RegistryService service;

  @BeforeEach
  void open() {
    fixture = new RegistryFixture(dir);
    service = fixture.service();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private BlobInfo push(RepositoryName repository, byte[] content) {
    UploadStatus started = service.startUpload(repository);
    UploadWriter writer = service.beginWrite(repository, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    return service.completeUpload(writer, digest(content));
  }

  private static void assertCode(ThrowingCallable call, OciErrorCode code, int status) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.httpStatus()).isEqualTo(status);
    });
  }

  @Test
  void chunkedUploadResumesAfterARestart() {
    byte[] content = randomBytes(1, 300_000);
    UploadStatus started = service.startUpload(APP);
    UploadWriter first = service.beginWrite(APP, started.id().value(), OptionalLong.of(0));
    first.append(ByteBuffer.wrap(content, 0, 100_000));
    assertThat(service.endChunk(first).offset()).isEqualTo(100_000);

    service = fixture.restart();

    assertThat(service.uploadStatus(APP, started.id().value()).offset()).isEqualTo(100_000);
    UploadWriter second = service.beginWrite(APP, started.id().value(), OptionalLong.of(100_000));
    second.append(ByteBuffer.wrap(content, 100_000, 200_000));
    BlobInfo blob = service.completeUpload(second, digest(content));
    assertThat(blob.size()).isEqualTo(content.length);
    assertThat(service.statBlob(APP, digest(content))).isEqualTo(blob);
    assertCode(() -> service.uploadStatus(APP, started.id().value()), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void chunkThatDoesNotContinueTheUploadIsRefusedWithWhatIsHeld() {
    UploadStatus started = service.startUpload(APP);
    UploadWriter writer = service.beginWrite(APP, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(new byte[10]));
    service.endChunk(writer);
    assertThatThrownBy(() -> service.beginWrite(APP, started.id().value(), OptionalLong.of(5)))
        .isInstanceOfSatisfying(UploadRangeException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(416);
          assertThat(e.status().offset()).isEqualTo(10);
        });
    // The refusal did not keep the session busy.
    service.endChunk(service.beginWrite(APP, started.id().value(), OptionalLong.of(10)));
  }

  @Test
  void secondWriterOfOneSessionIsRefusedWhileTheFirstHoldsIt() {
    UploadStatus started = service.startUpload(APP);
    UploadWriter first = service.beginWrite(APP, started.id().value(), OptionalLong.empty());
    assertThatThrownBy(() -> service.beginWrite(APP, started.id().value(), OptionalLong.empty()))
        .isInstanceOf(UploadRangeException.class);
    service.abandonWrite(first);
    UploadWriter again = service.beginWrite(APP, started.id().value(), OptionalLong.empty());
    service.abandonWrite(first); // a late second release must not free the session the new writer holds
    assertThatThrownBy(() -> service.beginWrite(APP, started.id().value(), OptionalLong.empty()))
        .isInstanceOf(UploadRangeException.class);
    service.abandonWrite(again);
  }

  @Test
  void uploadOfAnotherRepositoryIsUnknownHere() {
    UploadStatus started = service.startUpload(APP);
    assertCode(() -> service.uploadStatus(OTHER, started.id().value()), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertCode(() -> service.uploadStatus(APP, "no-such-upload"), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertCode(() -> service.uploadStatus(APP, "../etc"), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void completingWithTheWrongDigestLeavesNothingBehind() {
    byte[] content = randomBytes(2, 1000);
    Digest wrong = digest(randomBytes(3, 1000));
    UploadStatus started = service.startUpload(APP);
    UploadWriter writer = service.beginWrite(APP, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    assertCode(() -> service.completeUpload(writer, wrong), OciErrorCode.DIGEST_INVALID, 400);
    assertCode(() -> service.statBlob(APP, wrong), OciErrorCode.BLOB_UNKNOWN, 404);
    assertCode(() -> service.statBlob(APP, digest(content)), OciErrorCode.BLOB_UNKNOWN, 404);
    assertCode(() -> service.uploadStatus(APP, started.id().value()), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void cancelledUploadIsGone() {
    UploadStatus started = service.startUpload(APP);
    service.cancelUpload(APP, started.id().value());
    assertCode(() -> service.uploadStatus(APP, started.id().value()), OciErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void mountLinksOnlyWhatTheSourceRepositoryHasLinked() {
    byte[] content = randomBytes(4, 500);
    push(APP, content);
    assertThat(service.mount(OTHER, digest(content), Optional.of(APP))).isInstanceOf(MountOutcome.Mounted.class);
    assertThat(service.statBlob(OTHER, digest(content)).size()).isEqualTo(500);

    RepositoryName third = new RepositoryName("team/third");
    service.deleteBlob(APP, digest(content));
    MountOutcome outcome = service.mount(third, digest(content), Optional.of(APP));
    assertThat(outcome).isInstanceOf(MountOutcome.Started.class);
    assertCode(() -> service.statBlob(third, digest(content)), OciErrorCode.BLOB_UNKNOWN, 404);
    assertThat(((MountOutcome.Started) outcome).upload().offset()).isZero();
  }

  @Test
  void blobIsVisibleOnlyInRepositoriesThatLinkIt() {
    byte[] content = randomBytes(5, 100);
    push(APP, content);
    assertCode(() -> service.statBlob(OTHER, digest(content)), OciErrorCode.BLOB_UNKNOWN, 404);
    service.deleteBlob(APP, digest(content));
    assertCode(() -> service.statBlob(APP, digest(content)), OciErrorCode.BLOB_UNKNOWN, 404);
    assertCode(() -> service.deleteBlob(APP, digest(content)), OciErrorCode.BLOB_UNKNOWN, 404);
    // The unlink is a register write stamped by this region.
    assertThat(fixture.state().findBlobLink(APP, digest(content)).orElseThrow().stamp().origin())
        .isEqualTo(RegistryFixture.REGION);
  }

  @Test
  void manifestPushRecordsThisRegionAsHoldingTheManifest() {
    byte[] config = randomBytes(16, 50);
    byte[] layer = randomBytes(17, 500);
    push(APP, config);
    push(APP, layer);

    PutManifestResult result = service.putManifest(APP, Reference.parse("v1"), MANIFEST,
        TestImages.manifest(config, List.of(layer)));

    // The region that took the push sends no replica.ack for it: without this it would never know it holds it.
    assertThat(fixture.state().findReplicas(APP, result.digest())).containsExactly(RegistryFixture.REGION);
  }

  @Test
  void manifestPushCommitsManifestTagAndLinkWithOneStamp() {
    byte[] config = randomBytes(6, 50);
    byte[] layer = randomBytes(7, 5000);
    push(APP, config);
    push(APP, layer);
    byte[] manifest = TestImages.manifest(config, List.of(layer));
    PutManifestResult result = service.putManifest(APP, Reference.parse("v1"), MANIFEST, manifest);

    assertThat(result.digest()).isEqualTo(digest(manifest));
    StoredManifest byTag = service.getManifest(APP, Reference.parse("v1"), true);
    assertThat(byTag.bytes()).isEqualTo(manifest);
    ManifestRecord record = byTag.record();
    assertThat(record.references()).extracting(d -> d.digest()).containsExactly(digest(config), digest(layer));
    var tag = fixture.state().findTag(APP, new Tag("v1")).orElseThrow();
    var link = fixture.state().findBlobLink(APP, result.digest()).orElseThrow();
    assertThat(tag.stamp()).isEqualTo(record.stamp()).isEqualTo(link.stamp());
    assertThat(record.stamp().origin()).isEqualTo(RegistryFixture.REGION);
    assertThat(service.statBlob(APP, result.digest()).size()).isEqualTo(manifest.length);
  }

  @Test
  void manifestReferencingABlobNotLinkedHereIsRefusedAndNothingChanges() {
    byte[] config = randomBytes(8, 50);
    byte[] layer = randomBytes(9, 50);
    push(APP, config);
    push(OTHER, layer); // stored in the region, but not linked in APP
    byte[] manifest = TestImages.manifest(config, List.of(layer));
    assertCode(() -> service.putManifest(APP, Reference.parse("v1"), MANIFEST, manifest),
        OciErrorCode.MANIFEST_BLOB_UNKNOWN, 400);
    assertCode(() -> service.getManifest(APP, Reference.parse("v1"), false), OciErrorCode.MANIFEST_UNKNOWN, 404);
    assertThat(fixture.blobs().stat(digest(manifest))).isEmpty();
  }

  @Test
  void aManifestGivingALayerAnotherSizeThanItHasIsRefusedAsInvalidAndNothingChanges() {
    byte[] config = randomBytes(12, 50);
    byte[] layer = randomBytes(13, 70);
    push(APP, config);
    push(APP, layer);
    String right = "\"size\":" + layer.length + "}";
    String manifest = new String(TestImages.manifest(config, List.of(layer)), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(manifest).contains(right);
    byte[] lying = manifest.replace(right, "\"size\":" + (layer.length + 1) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    RegistryException refused = catchThrowableOfType(
        () -> service.putManifest(APP, Reference.parse("v1"), MANIFEST, lying), RegistryException.class);

    assertThat(refused.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID);
    assertThat(refused.getMessage()).contains(digest(layer).toString()).contains(String.valueOf(layer.length));
    assertThat(service.missingReferences(APP, MANIFEST, lying)).as("held, just not at that size").isEmpty();
    assertCode(() -> service.getManifest(APP, Reference.parse("v1"), false), OciErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void manifestPutByDigestMustMatchTheBytes() {
    byte[] config = randomBytes(10, 50);
    push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());
    Reference wrong = Reference.parse(digest(config).toString());
    assertCode(() -> service.putManifest(APP, wrong, MANIFEST, manifest), OciErrorCode.DIGEST_INVALID, 400);
    PutManifestResult ok = service.putManifest(APP, Reference.parse(digest(manifest).toString()), MANIFEST, manifest);
    assertThat(ok.digest()).isEqualTo(digest(manifest));
    assertThat(service.listTags(APP, Optional.empty(), 10).items()).isEmpty();
  }

  @Test
  void invalidJsonAndOversizedManifestsAreRefused() {
    assertCode(() -> service.putManifest(APP, Reference.parse("v1"), MANIFEST, "{not json".getBytes()),
        OciErrorCode.MANIFEST_INVALID, 400);
    byte[] huge = new byte[4 * 1024 * 1024 + 1];
    Arrays.fill(huge, (byte) ' ');
    assertCode(() -> service.putManifest(APP, Reference.parse("v1"), MANIFEST, huge), OciErrorCode.MANIFEST_INVALID, 413);
  }

  @Test
  void indexNeedsItsChildManifestsHere() {
    byte[] config = randomBytes(11, 50);
    push(APP, config);
    byte[] child = TestImages.manifest(config, List.of());
    byte[] index = TestImages.index(List.of(child));
    assertCode(() -> service.putManifest(APP, Reference.parse("multi"), MediaType.OCI_INDEX, index),
        OciErrorCode.MANIFEST_BLOB_UNKNOWN, 400);
    service.putManifest(APP, Reference.parse(digest(child).toString()), MANIFEST, child);
    service.putManifest(APP, Reference.parse("multi"), MediaType.OCI_INDEX, index);
    assertThat(service.getManifest(APP, Reference.parse("multi"), true).bytes()).isEqualTo(index);
  }

  @Test
  void deletingAManifestByDigestRemovesTheTagsPointingAtIt() {
    byte[] config = randomBytes(12, 50);
    push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());
    service.putManifest(APP, Reference.parse("v1"), MANIFEST, manifest);
    service.putManifest(APP, Reference.parse("latest"), MANIFEST, manifest);
    service.deleteManifest(APP, Reference.parse(digest(manifest).toString()));

    assertCode(() -> service.getManifest(APP, Reference.parse("v1"), false), OciErrorCode.MANIFEST_UNKNOWN, 404);
    assertCode(() -> service.getManifest(APP, Reference.parse(digest(manifest).toString()), false),
        OciErrorCode.MANIFEST_UNKNOWN, 404);
    assertThat(service.listTags(APP, Optional.empty(), 10).items()).isEmpty();
    assertCode(() -> service.statBlob(APP, digest(manifest)), OciErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void deletingATagLeavesItsManifest() {
    byte[] config = randomBytes(13, 50);
    push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());
    service.putManifest(APP, Reference.parse("v1"), MANIFEST, manifest);
    service.deleteManifest(APP, Reference.parse("v1"));
    assertCode(() -> service.getManifest(APP, Reference.parse("v1"), false), OciErrorCode.MANIFEST_UNKNOWN, 404);
    assertThat(service.getManifest(APP, Reference.parse(digest(manifest).toString()), true).bytes()).isEqualTo(manifest);
    assertCode(() -> service.deleteManifest(APP, Reference.parse("v1")), OciErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void unknownRepositoryIsNameUnknown() {
    RepositoryName nowhere = new RepositoryName("nowhere");
    assertCode(() -> service.listTags(nowhere, Optional.empty(), 10), OciErrorCode.NAME_UNKNOWN, 404);
    assertCode(() -> service.getManifest(nowhere, Reference.parse("v1"), false), OciErrorCode.NAME_UNKNOWN, 404);
  }

  @Test
  void tagsAndCatalogPageInLexicalOrder() {
    byte[] config = randomBytes(14, 50);
    push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());
    for (String tag : List.of("b", "a", "d", "c")) service.putManifest(APP, Reference.parse(tag), MANIFEST, manifest);
    Page<Tag> first = service.listTags(APP, Optional.empty(), 2);
    assertThat(first.items()).extracting(Tag::value).containsExactly("a", "b");
    assertThat(first.more()).isTrue();
    Page<Tag> second = service.listTags(APP, Optional.of(new Tag("b")), 2);
    assertThat(second.items()).extracting(Tag::value).containsExactly("c", "d");
    assertThat(second.more()).isFalse();
    assertThat(service.listTags(APP, Optional.empty(), 0).items()).isEmpty();
    assertCode(() -> service.listTags(APP, Optional.empty(), -1), OciErrorCode.PAGINATION_NUMBER_INVALID, 400);

    push(OTHER, config);
    assertThat(service.catalog(Optional.empty(), 1).items()).containsExactly(APP);
    assertThat(service.catalog(Optional.of(APP), 5).items()).containsExactly(OTHER);
  }

  @Test
  void referrersListPresentManifestsWithThatSubjectFilteredByArtifactType() {
    byte[] config = randomBytes(15, 50);
    push(APP, config);
    byte[] image = TestImages.manifest(config, List.of());
    service.putManifest(APP, Reference.parse("v1"), MANIFEST, image);
    byte[] signature = TestImages.manifest(config, List.of(), "application/vnd.example.sig", image, TestImages.OCI_MANIFEST);
    byte[] sbom = TestImages.manifest(config, List.of(), "application/vnd.example.sbom", image, TestImages.OCI_MANIFEST);
    PutManifestResult put = service.putManifest(APP, Reference.parse(digest(signature).toString()), MANIFEST, signature);
    service.putManifest(APP, Reference.parse(digest(sbom).toString()), MANIFEST, sbom);

    assertThat(put.subject()).contains(digest(image));
    assertThat(service.referrers(APP, digest(image), Optional.empty())).hasSize(2);
    assertThat(service.referrers(APP, digest(image), Optional.of("application/vnd.example.sig")))
        .singleElement().satisfies(d -> {
          assertThat(d.digest()).isEqualTo(digest(signature));
          assertThat(d.artifactType()).contains("application/vnd.example.sig");
        });
    service.deleteManifest(APP, Reference.parse(digest(sbom).toString()));
    assertThat(service.referrers(APP, digest(image), Optional.empty())).hasSize(1);
  }

  @Test
  void manifestWhoseSubjectIsAbsentIsAccepted() {
    byte[] config = randomBytes(16, 50);
    push(APP, config);
    byte[] missing = randomBytes(17, 10);
    byte[] artifact = TestImages.manifest(config, List.of(), "application/vnd.example.sig", missing, TestImages.OCI_MANIFEST);
    PutManifestResult put = service.putManifest(APP, Reference.parse(digest(artifact).toString()), MANIFEST, artifact);
    assertThat(put.subject()).contains(digest(missing));
  }
}
