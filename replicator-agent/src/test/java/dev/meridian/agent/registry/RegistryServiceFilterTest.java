package dev.meridian.agent.registry;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.Hlc;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ContentGuard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A region whose topology filter keeps {@code eu-only/**} out refuses every write there and loses nothing else. */
class RegistryServiceFilterTest {
  private static final RepositoryName EU_APP = new RepositoryName("eu-only/app");
  private static final RepositoryName APP = new RepositoryName("team/app");

  @TempDir Path dir;
  private RegistryFixture fixture;
  private RegistryService service;

  @BeforeEach
  void open() {
    fixture = new RegistryFixture(dir);
    service = new RegistryService(fixture.blobs(), fixture.state(), new Hlc(Clock.systemUTC()), RegistryFixture.REGION,
        Clock.systemUTC(), new ContentGuard(), () -> true, repository -> !repository.value().startsWith("eu-only/"));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private static void assertDenied(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(OciErrorCode.DENIED);
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.getMessage()).isEqualTo(
          "repository eu-only/app is not replicated to region eastus by its topology filter: push it to a region whose filter admits it");
    });
  }

  private Digest push(RepositoryName repository, byte[] content) {
    UploadStatus started = service.startUpload(repository);
    UploadWriter writer = service.beginWrite(repository, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    return service.completeUpload(writer, digest(content)).digest();
  }

  @Test
  void everyWriteOfAnExcludedRepositoryIsDeniedAndLeavesNoTrace() {
    byte[] layer = randomBytes(7, 1000);
    Digest pushed = push(APP, layer);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Digest configDigest = push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());

    assertDenied(() -> service.startUpload(EU_APP));
    assertDenied(() -> service.mount(EU_APP, pushed, Optional.of(APP)));
    assertDenied(() -> service.beginWrite(EU_APP, "any-session", OptionalLong.empty()));
    assertDenied(() -> service.putManifest(EU_APP, new Reference.TagReference(new Tag("v1")), MediaType.OCI_MANIFEST, manifest));
    assertDenied(() -> service.deleteManifest(EU_APP, new Reference.TagReference(new Tag("v1"))));
    assertDenied(() -> service.deleteBlob(EU_APP, pushed));

    assertThat(fixture.state().repositoryExists(EU_APP)).isFalse();
    assertThat(fixture.state().findBlobLink(EU_APP, pushed)).isEmpty();
    assertThatThrownBy(() -> service.statBlob(EU_APP, pushed)).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UNKNOWN));
    assertThatThrownBy(() -> service.listTags(EU_APP, Optional.empty(), 10)).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.code()).isEqualTo(OciErrorCode.NAME_UNKNOWN));
  }

  @Test
  void admittedRepositoriesArePushedAsUsual() {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Digest configDigest = push(APP, config);
    byte[] manifest = TestImages.manifest(config, List.of());
    service.putManifest(APP, new Reference.TagReference(new Tag("v1")), MediaType.OCI_MANIFEST, manifest);
    assertThat(service.getManifest(APP, new Reference.TagReference(new Tag("v1")), false).record().digest())
        .isEqualTo(Digest.sha256Of(manifest));
    // Not a prefix match: only what the filter names is kept out.
    RepositoryName lookalike = new RepositoryName("eu-only-not/app");
    assertThat(push(lookalike, config)).isEqualTo(configDigest);
  }
}
