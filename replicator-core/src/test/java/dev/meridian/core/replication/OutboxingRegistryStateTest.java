package dev.meridian.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateFixtures;
import dev.meridian.core.state.TagRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxingRegistryStateTest {
  private static final RegionId SELF = new RegionId("eastus");
  private static final RegionId PEER = new RegionId("westeu");
  private static final RepositoryName APP = new RepositoryName("app");
  private static final Digest D = StateFixtures.digest(7);

  private final ReplicaFixture region = new ReplicaFixture(SELF);
  private final AtomicInteger wakeUps = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  private final OutboxingRegistryState state = new OutboxingRegistryState(region.state,
      new LocalChangeEvents(SELF, () -> "id-" + ids.incrementAndGet(), digest -> 1234L), new EventCodec(), wakeUps::incrementAndGet);

  @AfterEach
  void close() {
    region.close();
  }

  private static Stamp stamp(RegionId origin, long millis) {
    return new Stamp(new HlcTimestamp(millis, 0), origin);
  }

  private static ManifestRecord manifest(boolean present, Stamp stamp) {
    return new ManifestRecord(APP, D, MediaType.OCI_MANIFEST, 321, List.of(), Optional.empty(), Optional.empty(), Map.of(), present, stamp);
  }

  private List<ReplicationEvent> outbox() {
    return region.state.readOutbox(100).stream().map(OutboxEntry::payload).map(new EventCodec()::decode).toList();
  }

  @Test
  void aLocalPushCommitsItsEventsInTheSameBatchAndWakesTheRelay() {
    Stamp s = stamp(SELF, 10);
    state.apply(StateBatch.builder()
        .putManifest(manifest(true, s))
        .putTag(new TagRecord(APP, new Tag("v1"), Optional.of(D), s))
        .putBlobLink(new BlobLinkRecord(APP, D, true, s))
        .build());

    assertThat(region.state.findTag(APP, new Tag("v1"))).isPresent();
    assertThat(outbox()).hasSize(3);
    assertThat(outbox().get(0)).isInstanceOfSatisfying(ManifestPut.class, e -> {
      assertThat(e.digest()).isEqualTo(D);
      assertThat(e.size()).isEqualTo(321);
      assertThat(e.stamp()).isEqualTo(s);
    });
    assertThat(outbox().get(1)).isInstanceOfSatisfying(TagPut.class, e -> assertThat(e.digest()).isEqualTo(D));
    assertThat(outbox().get(2)).isInstanceOfSatisfying(BlobPut.class, e -> assertThat(e.size()).isEqualTo(1234));
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void deletesBecomeDeleteEvents() {
    Stamp s = stamp(SELF, 20);
    state.apply(StateBatch.builder().putManifest(manifest(false, s)).putTag(new TagRecord(APP, new Tag("v1"), Optional.empty(), s)).build());
    assertThat(outbox()).hasExactlyElementsOfTypes(ManifestDelete.class, TagDelete.class);
  }

  @Test
  void writesStampedByAnotherRegionAreReplicatedAndEmitNothing() {
    state.apply(StateBatch.builder().putManifest(manifest(true, stamp(PEER, 30))).build());
    assertThat(region.state.findManifest(APP, D)).isPresent();
    assertThat(region.state.outboxSize()).isZero();
    assertThat(wakeUps).hasValue(0);
  }
}
