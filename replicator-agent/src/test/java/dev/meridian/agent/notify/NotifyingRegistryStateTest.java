package dev.meridian.agent.notify;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.manifest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which notifications a region's writes queue, in the batch of the write, on a real RocksDB and blob store. */
class NotifyingRegistryStateTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final RepositoryName APP = new RepositoryName("team/app");

  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private NotifyingRegistryState notifying;
  private RegistryService service;
  private final NotificationCodec codec = new NotificationCodec();
  private int wakes;

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    notifying = new NotifyingRegistryState(state, new ChangeNotifications(EAST, () -> UUID.randomUUID().toString(), Clock.systemUTC()),
        List.of(NotificationDestination.all("kafka"),
            new NotificationDestination("webhook", EnumSet.of(NotificationType.PUSH, NotificationType.QUARANTINED))),
        () -> wakes++);
    service = new RegistryService(blobs, notifying, new Hlc(Clock.systemUTC()), EAST, Clock.systemUTC(), new ContentGuard());
  }

  @AfterEach
  void close() {
    state.close();
    blobs.close();
  }

  private List<Notification> queued(String queue) {
    return state.readNotifications(queue, 1000).stream().map(e -> codec.decode(e.payload())).toList();
  }

  private void upload(byte[] content) {
    UploadStatus started = service.startUpload(APP);
    UploadWriter writer = service.beginWrite(APP, started.id().value(), OptionalLong.of(0));
    writer.append(ByteBuffer.wrap(content));
    service.completeUpload(writer, digest(content));
  }

  private Digest push(long seed, String tag) {
    byte[] config = randomBytes(seed, 100);
    byte[] layer = randomBytes(seed + 1, 1000);
    upload(config);
    upload(layer);
    return service.putManifest(APP, Reference.parse(tag), MediaType.OCI_MANIFEST, manifest(config, List.of(layer))).digest();
  }

  @Test
  void aPushByTagQueuesOnePushWithItsTagAndSizeAndNoBlobUploadQueuesAnything() {
    Digest image = push(1, "v1");

    List<Notification> all = queued("kafka");
    assertThat(all).hasSize(1);
    Notification n = all.get(0);
    assertThat(n.type()).isEqualTo(NotificationType.PUSH);
    assertThat(n.repository()).contains(APP);
    assertThat(n.digest()).isEqualTo(image);
    assertThat(n.tag()).contains(new Tag("v1"));
    assertThat(n.mediaType()).contains(MediaType.OCI_MANIFEST.value());
    assertThat(n.size()).isEqualTo(state.findManifest(APP, image).orElseThrow().size()).isPositive();
    assertThat(n.region()).isEqualTo(EAST);
    assertThat(n.origin()).contains(EAST);
    assertThat(queued("webhook")).extracting(Notification::id).containsExactly(n.id());
    assertThat(wakes).isPositive();
  }

  @Test
  void deletesQueueADeleteForTheTagAndForTheManifestWithItsTags() {
    Digest image = push(1, "v1");
    service.putManifest(APP, Reference.parse("v2"), MediaType.OCI_MANIFEST,
        manifest(randomBytes(1, 100), List.of(randomBytes(2, 1000))));
    service.deleteManifest(APP, Reference.parse("v1"));
    service.deleteManifest(APP, Reference.parse(image.toString()));

    List<Notification> all = queued("kafka");
    assertThat(all).extracting(Notification::type).containsExactly(NotificationType.PUSH, NotificationType.PUSH,
        NotificationType.DELETE, NotificationType.DELETE, NotificationType.DELETE);
    assertThat(all.get(1).tag()).contains(new Tag("v2"));
    assertThat(all.get(2).tag()).contains(new Tag("v1"));
    assertThat(all.get(2).digest()).isEqualTo(image);
    assertThat(all.get(3).tag()).isEmpty(); // the manifest
    assertThat(all.get(3).digest()).isEqualTo(image);
    assertThat(all.get(4).tag()).contains(new Tag("v2")); // tombstoned with it
    // The webhook takes pushes only.
    assertThat(queued("webhook")).extracting(Notification::type).containsOnly(NotificationType.PUSH).hasSize(2);
    assertThat(all).extracting(Notification::id).doesNotHaveDuplicates();
  }

  @Test
  void aManifestCompletedByReplicationQueuesReplicatedButAReplayedRegisterAloneDoesNot() {
    Digest d = digest(randomBytes(9, 50));
    ManifestRecord replayed = new ManifestRecord(APP, d, MediaType.OCI_MANIFEST, 50, List.of(), Optional.empty(),
        Optional.empty(), Map.of(), true, new Stamp(new HlcTimestamp(Instant.now().toEpochMilli(), 0), WEST));
    notifying.apply(StateBatch.of(new StateWrite.PutManifest(replayed),
        new StateWrite.PutTransfer(new TransferJob(APP, d, TransferJob.Kind.MANIFEST, WEST, 50, Instant.now()))));
    assertThat(queued("kafka")).isEmpty();

    ReplicaAcks acks = new ReplicaAcks(EAST, new Hlc(Clock.systemUTC()), () -> UUID.randomUUID().toString(), new EventCodec());
    notifying.apply(new StateBatch(acks.completed(APP, d)));

    List<Notification> all = queued("kafka");
    assertThat(all).hasSize(1);
    assertThat(all.get(0).type()).isEqualTo(NotificationType.REPLICATED);
    assertThat(all.get(0).origin()).contains(WEST);
    assertThat(all.get(0).size()).isEqualTo(50);
    assertThat(queued("webhook")).isEmpty();
  }

  @Test
  void theScrubberQueuesAQuarantineWithTheManifestsItMadePending() throws Exception {
    byte[] layer = randomBytes(2, 1000); // push(1, ..)'s layer
    Digest image = push(1, "v1");
    java.nio.file.Path file = new dev.meridian.core.blob.fs.BlobPaths(dir.resolve("blobs")).blob(digest(layer));
    byte[] corrupt = layer.clone();
    corrupt[10] ^= 0x01;
    java.nio.file.Files.write(file, corrupt);
    var scrubber = new dev.meridian.agent.repair.Scrubber(blobs, notifying, new ContentGuard(), Clock.systemUTC(), 1L << 30,
        java.time.Duration.ofHours(1), dev.meridian.agent.repair.ScrubListener.NONE, () -> {}, notifying::quarantined);
    try {
      assertThat(scrubber.scrubNow().quarantined()).hasSize(1);
    } finally {
      scrubber.close();
    }

    assertThat(queued("webhook")).filteredOn(n -> n.type() == NotificationType.QUARANTINED).singleElement().satisfies(n -> {
      assertThat(n.digest()).isEqualTo(digest(layer));
      assertThat(n.size()).isEqualTo(layer.length);
      assertThat(n.pendingManifests()).containsExactly(APP + "@" + image);
    });
    assertThat(queued("kafka")).extracting(Notification::type).containsExactly(NotificationType.PUSH, NotificationType.QUARANTINED);
  }

  @Test
  void aQuarantineGoesToEveryDestinationTakingIt() {
    Digest blob = digest(randomBytes(3, 10));
    List<StateWrite> writes = new ArrayList<>(notifying.quarantined(blob, 10, List.of("team/app@" + blob)));
    notifying.apply(new StateBatch(writes));

    assertThat(queued("kafka")).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(NotificationType.QUARANTINED);
      assertThat(n.repository()).isEmpty();
      assertThat(n.pendingManifests()).containsExactly("team/app@" + blob);
    });
    assertThat(queued("webhook")).hasSize(1);
  }
}
