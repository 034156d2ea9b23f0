package dev.meridian.core.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.TransferJob;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplayPlannerTest {
  private static final RegionId SELF = new RegionId("westeu");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RepositoryName APP = new RepositoryName("team-a/app");
  private static final Tag V1 = new Tag("v1");

  private final ReplicaFixture region = new ReplicaFixture(SELF);
  private int clock = 1;

  @AfterEach
  void close() {
    region.close();
  }

  /** An image whose config and layer bytes are known; {@code store} decides which of them this region has. */
  private record Image(byte[] config, byte[] layer, byte[] manifest) {
    Digest digest() {
      return Digest.sha256Of(manifest);
    }

    List<Descriptor> references() {
      return List.of(Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256Of(config), config.length),
          Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar"), Digest.sha256Of(layer), layer.length));
    }
  }

  private static Image image(String seed) {
    byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(UTF_8);
    byte[] layer = ("layer of " + seed).getBytes(UTF_8);
    String manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
        .formatted(Digest.sha256Of(config), config.length, Digest.sha256Of(layer), layer.length);
    return new Image(config, layer, manifest.getBytes(UTF_8));
  }

  private void store(byte[] bytes) {
    region.blobs.put(Digest.sha256Of(bytes), new ByteArrayInputStream(bytes));
  }

  private void storeAll(Image image) {
    store(image.config());
    store(image.layer());
    store(image.manifest());
  }

  private HlcTimestamp next() {
    return new HlcTimestamp(1000 + clock++, 0);
  }

  private ManifestPut manifestPut(Image image) {
    return new ManifestPut("m" + clock, EAST, next(), APP, image.digest(), MediaType.OCI_MANIFEST, image.manifest().length,
        image.references(), Optional.empty(), Optional.empty(), Map.of());
  }

  private List<ReplicationEvent> outbox() {
    EventCodec codec = new EventCodec();
    return region.state.readOutbox(100).stream().map(OutboxEntry::payload).map(codec::decode).toList();
  }

  @Test
  void aManifestWhoseContentIsHereIsServedAtOnceAndAcknowledged() {
    Image image = image("a");
    storeAll(image);

    region.replay(manifestPut(image));

    assertThat(region.visibility.servedManifest(APP, image.digest())).isPresent();
    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(region.state.findReplicas(APP, image.digest())).containsExactlyInAnyOrder(SELF, EAST);
    assertThat(outbox()).singleElement().isInstanceOfSatisfying(ReplicaAck.class, ack -> {
      assertThat(ack.digest()).isEqualTo(image.digest());
      assertThat(ack.region()).isEqualTo(SELF);
      assertThat(ack.origin()).isEqualTo(SELF);
    });
  }

  @Test
  void aManifestWithMissingContentIsPendingWithAJobFromItsOrigin() {
    Image image = image("b");
    store(image.config()); // the layer and the manifest itself are still missing

    region.replay(manifestPut(image));

    assertThat(region.visibility.servedManifest(APP, image.digest())).isEmpty();
    assertThat(region.state.findManifest(APP, image.digest())).isPresent(); // the register merged anyway
    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST))
        .hasValueSatisfying(job -> assertThat(job.origin()).isEqualTo(EAST));
    assertThat(outbox()).isEmpty();
  }

  @Test
  void aManifestWhoseBytesAreHereButNotALayerItCarriesIsPending() {
    Image image = image("c");
    store(image.config());
    store(image.manifest()); // the layer is still missing

    region.replay(manifestPut(image));

    assertThat(region.visibility.servedManifest(APP, image.digest())).isEmpty();
    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST)).isPresent();
    assertThat(outbox()).isEmpty();
  }

  @Test
  void aLayerThatArrivesWhileAPollIsPlannedCompletesTheLaterManifestsOfThatPoll() {
    Image image = image("mid-poll");
    store(image.config());
    store(image.manifest()); // the layer arrives between two events of the poll
    RepositoryName other = new RepositoryName("team-b/app");
    BufferedRegistryState view = new BufferedRegistryState(region.state);
    ReplayPlanner poll = new ReplayPlanner(SELF, view, region.blobs, BlobPresence.withinBatch(region.blobs), region.acks,
        ReplicaFixture.FIXED, repository -> true);

    view.apply(new StateBatch(poll.plan(manifestPut(image))));
    store(image.layer());
    view.apply(new StateBatch(poll.plan(new ManifestPut("m-other", EAST, next(), other, image.digest(),
        MediaType.OCI_MANIFEST, image.manifest().length, image.references(), Optional.empty(), Optional.empty(), Map.of()))));
    region.state.apply(view.drain(true));

    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST)).isPresent();
    assertThat(region.visibility.servedManifest(other, image.digest())).isPresent();
    assertThat(region.state.findTransfer(other, image.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
  }

  @Test
  void anIndexIsCompleteOnlyWhenItsChildrensOwnReferencesAreHere() {
    Image child = image("d");
    byte[] index = ("""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",\
        "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d}]}""")
        .formatted(child.digest(), child.manifest().length).getBytes(UTF_8);
    Digest indexDigest = Digest.sha256Of(index);
    List<Descriptor> children = List.of(Descriptor.of(MediaType.OCI_MANIFEST, child.digest(), child.manifest().length));
    store(index);
    store(child.manifest());
    store(child.config()); // the child's layer, known only from the child's bytes, is missing

    region.replay(new ManifestPut("i1", EAST, next(), APP, indexDigest, MediaType.OCI_INDEX,
        index.length, children, Optional.empty(), Optional.empty(), Map.of()));
    assertThat(region.visibility.servedManifest(APP, indexDigest)).isEmpty();

    store(child.layer());
    region.replay(new ManifestPut("i2", EAST, next(), APP, indexDigest, MediaType.OCI_INDEX,
        index.length, children, Optional.empty(), Optional.empty(), Map.of()));
    assertThat(region.visibility.servedManifest(APP, indexDigest)).isPresent();
  }

  @Test
  void aTagMovedToAPendingManifestKeepsServingThePreviousCompleteOneUntilTheContentArrives() {
    Image old = image("old");
    storeAll(old);
    region.replay(manifestPut(old));
    region.replay(new TagPut("t1", EAST, next(), APP, V1, old.digest()));
    assertThat(region.visibility.servedDigest(APP, V1)).contains(old.digest());

    Image fresh = image("fresh");
    region.replay(manifestPut(fresh));
    region.replay(new TagPut("t2", EAST, next(), APP, V1, fresh.digest()));

    assertThat(region.state.findTag(APP, V1).flatMap(t -> t.digest())).contains(fresh.digest()); // the register moved
    assertThat(region.visibility.servedDigest(APP, V1)).contains(old.digest()); // what pulls see did not

    storeAll(fresh);
    region.state.apply(new dev.meridian.core.state.StateBatch(
        new ReplicaAcks(SELF, new dev.meridian.core.clock.Hlc(ReplicaFixture.FIXED), () -> "ack", new EventCodec())
            .completed(APP, fresh.digest())));
    assertThat(region.visibility.servedDigest(APP, V1)).contains(fresh.digest());
  }

  @Test
  void aTagMovedBeforeItsManifestArrivedServesNothingNewUntilComplete() {
    Image image = image("c");
    region.replay(new TagPut("t", EAST, next(), APP, V1, image.digest()));
    assertThat(region.visibility.servedDigest(APP, V1)).isEmpty();

    storeAll(image);
    region.replay(manifestPut(image));
    assertThat(region.visibility.servedDigest(APP, V1)).contains(image.digest());
  }

  @Test
  void aDeleteThatArrivesBeforeItsPutLeavesNothingPendingOrServed() {
    Image image = image("d");
    ManifestPut put = manifestPut(image);
    region.replay(new ManifestDelete("del", EAST, next(), APP, image.digest()));
    region.replay(put);

    assertThat(region.state.findManifest(APP, image.digest())).hasValueSatisfying(m -> assertThat(m.present()).isFalse());
    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(region.visibility.servedManifest(APP, image.digest())).isEmpty();
  }

  @Test
  void aDeleteOfAPendingManifestCancelsItsTransfer() {
    Image image = image("e");
    region.replay(manifestPut(image));
    region.replay(new ManifestDelete("del", EAST, next(), APP, image.digest()));
    assertThat(region.state.findTransfer(APP, image.digest(), TransferJob.Kind.MANIFEST)).isEmpty();
  }

  @Test
  void thisRegionsOwnEventsPlanNothing() {
    Image image = image("f");
    var own = new ManifestPut("m", SELF, next(), APP, image.digest(), MediaType.OCI_MANIFEST, 10,
        image.references(), Optional.empty(), Optional.empty(), Map.of());
    assertThat(region.planner.plan(own)).isEmpty();
    assertThat(region.planner.plan(new ReplicaAck("a", SELF, next(), APP, image.digest(), SELF))).isEmpty();
  }

  @Test
  void aManifestPutTellsThatItsOriginHoldsTheManifestEvenWhileItIsPendingHere() {
    Image image = image("h");

    region.replay(manifestPut(image)); // nothing of it is here yet

    assertThat(region.visibility.servedManifest(APP, image.digest())).isEmpty();
    assertThat(region.state.findReplicas(APP, image.digest())).containsExactly(EAST);
  }

  @Test
  void anotherRegionsAckJoinsTheReplicaSet() {
    Image image = image("g");
    region.replay(new ReplicaAck("a", EAST, next(), APP, image.digest(), EAST));
    assertThat(region.state.findReplicas(APP, image.digest())).containsExactly(EAST);
  }

  @Test
  void everyEventOfARepositoryThisRegionDoesNotAdmitIsIgnored() {
    RepositoryName residentElsewhere = new RepositoryName("eu-only/app");
    ReplayPlanner filtered = new ReplayPlanner(SELF, region.state, region.blobs, region.acks, ReplicaFixture.FIXED,
        repository -> !repository.value().startsWith("eu-only/"));
    Image image = image("filtered");
    Digest layer = Digest.sha256Of(image.layer());
    List<ReplicationEvent> events = List.of(
        new dev.meridian.core.event.BlobPut("b1", EAST, next(), residentElsewhere, layer, image.layer().length),
        new ManifestPut("m1", EAST, next(), residentElsewhere, image.digest(), MediaType.OCI_MANIFEST,
            image.manifest().length, image.references(), Optional.empty(), Optional.empty(), Map.of()),
        new TagPut("t1", EAST, next(), residentElsewhere, V1, image.digest()),
        new ReplicaAck("r1", EAST, next(), residentElsewhere, image.digest(), new RegionId("northeu")),
        new dev.meridian.core.event.TagDelete("t2", EAST, next(), residentElsewhere, V1),
        new ManifestDelete("d1", EAST, next(), residentElsewhere, image.digest()),
        new dev.meridian.core.event.BlobUnlink("u1", EAST, next(), residentElsewhere, layer));
    for (ReplicationEvent event : events) {
      assertThat(filtered.plan(event)).as("%s", event.type()).isEmpty();
    }
    // The same manifest in an admitted repository replicates as usual.
    assertThat(filtered.plan(manifestPut(image))).isNotEmpty();
  }
}
