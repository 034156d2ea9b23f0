package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.registry.RegistryFixture;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks as one region enforces them on its own writes. */
class LocksTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final Optional<Boolean> FALSE = Optional.of(false);
  private static final Optional<Boolean> UNCHANGED = Optional.empty();

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

  private void upload(byte[] content) {
    UploadStatus started = service.startUpload(APP);
    UploadWriter writer = service.beginWrite(APP, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    service.completeUpload(writer, digest(content));
  }

  private Digest push(String tag, long seed) {
    byte[] config = randomBytes(seed, 100);
    byte[] layer = randomBytes(seed + 1, 1000);
    upload(config);
    upload(layer);
    return service.putManifest(APP, Reference.parse(tag), MediaType.OCI_MANIFEST, manifest(config, List.of(layer))).digest();
  }

  private static void assertDenied(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> {
      assertThat(e.code()).isEqualTo(OciErrorCode.DENIED);
      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(e.getMessage()).contains("meridian repository update");
    });
  }

  @Test
  void aWriteDisabledRepositoryRefusesUploadsAndManifestsButServesPulls() {
    Digest image = push("v1", 1);
    service.updateLock(APP, Optional.empty(), FALSE, UNCHANGED);

    assertDenied(() -> service.startUpload(APP));
    assertDenied(() -> push("v2", 3));
    assertThat(service.getManifest(APP, Reference.parse("v1"), true).record().digest()).isEqualTo(image);
    service.deleteManifest(APP, Reference.parse("v1")); // delete stays enabled
  }

  @Test
  void aDeleteDisabledTagProtectsItsManifestFromADeleteByDigestAndOnlyItsOwnWriteFlagChanges() {
    Digest image = push("prod", 5);
    service.updateLock(APP, Optional.of(Reference.parse("prod")), UNCHANGED, FALSE);

    assertDenied(() -> service.deleteManifest(APP, Reference.parse("prod")));
    assertDenied(() -> service.deleteManifest(APP, Reference.parse(image.toString())));
    assertThat(service.locks().writeEnabled(APP, Optional.of(Reference.parse("prod")))).isTrue();
    push("prod", 7); // write stays enabled: the tag may move

    service.updateLock(APP, Optional.of(Reference.parse("prod")), UNCHANGED, Optional.of(true));
    service.deleteManifest(APP, Reference.parse("prod"));
  }

  @Test
  void aWriteDisabledTagCannotMoveWhileOtherTagsCan() {
    push("stable", 9);
    service.updateLock(APP, Optional.of(Reference.parse("stable")), FALSE, UNCHANGED);

    assertDenied(() -> push("stable", 11));
    push("latest", 11);
  }

  @Test
  void lockingWhatDoesNotExistIsRefusedWithTheOciError() {
    assertThatThrownBy(() -> service.updateLock(APP, Optional.empty(), FALSE, UNCHANGED))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.NAME_UNKNOWN));
    push("v1", 13);
    assertThatThrownBy(() -> service.updateLock(APP, Optional.of(Reference.parse("nope")), FALSE, UNCHANGED))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
  }
}
