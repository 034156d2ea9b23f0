package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import dev.meridian.topology.Region;
import dev.meridian.topology.RepositoryFilter;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transfer worker end to end: durable jobs in a real RocksDB state store, content copied from peers over
 * real sockets into a real file-system blob store.
 */
class TransferWorkerTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final RegionId ASIA = new RegionId("asia");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeu");
  private static final Duration AWAIT = Duration.ofSeconds(30);

  /** Short pauses so that failures and recoveries happen within a test. */
  private static final TransferConfig FAST = TransferConfig.builder()
      .retryAttempts(3)
      .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
      .jobBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
      .breaker(50, 5, 10, Duration.ofMillis(200))
      .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10))
      .scanInterval(Duration.ofMillis(100))
      .build();

  @TempDir Path dir;

  private final FaultyPeer east = FaultyPeerFixtures.start();
  private final FaultyPeer west = FaultyPeerFixtures.start();
  private final Hlc hlc = new Hlc(Clock.systemUTC());
  private final EventCodec codec = new EventCodec();
  private FileSystemBlobStore store;
  private RocksDbRegistryState state;
  private PeerClients peers;
  private TransferWorker worker;

  @AfterEach
  void close() {
    stopWorker();
    east.close();
    west.close();
  }

  private void startWorker(TransferConfig config) {
    startWorker(config, RepositoryFilter.ALL);
  }

  /** With {@code asiaHolds} as this region's repository filter. */
  private void startWorker(TransferConfig config, RepositoryFilter asiaHolds) {
    store = new FileSystemBlobStore(dir.resolve("blobs"));
    state = RocksDbRegistryState.open(dir.resolve("state"));
    Topology topology = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
        Region.of("asia", "http://127.0.0.1:1").withRepositories(asiaHolds), Region.of("eastus", east.url().toString()),
        Region.of("westeu", west.url().toString())));
    peers = PeerClients.http(topology, ASIA, config);
    worker = new TransferWorker(ASIA, topology, peers, state, store, hlc, config, Clock.systemUTC());
    worker.start();
  }

  private void stopWorker() {
    if (worker == null) return;
    worker.stop();
    peers.close();
    state.close();
    store.close();
    worker = null;
  }

  @Test
  void aManifestJobForAnIndexCompletesOnlyWhenEveryChildAndBlobIsPresentThenAcksInOneBatch() {
    TestImages.Image amd64 = TestImages.image(1, 200_000);
    TestImages.Image arm64 = TestImages.image(2, 300_000);
    TestImages.Image index = TestImages.index(List.of(amd64, arm64));
    index.serveFrom(east);
    Digest withheld = arm64.blobs().keySet().stream().skip(1).findFirst().orElseThrow();
    east.removeBlob(withheld);
    startWorker(FAST);

    pendingManifest(index, EAST);

    // No peer has one layer: the job fails, stays, and is tried again.
    await().atMost(AWAIT).until(() -> east.requestsFor(withheld).size() >= 2);
    assertThat(state.findTransfer(REPO, index.digest(), TransferJob.Kind.MANIFEST)).isPresent();
    assertThat(state.outboxSize()).isZero();
    assertThat(state.findReplicas(REPO, index.digest())).isEmpty();
    assertThat(store.stat(withheld)).isEmpty();

    east.addBlob(arm64.blobs().get(withheld));
    await().atMost(AWAIT).until(() -> state.transferCount() == 0);

    for (Map.Entry<Digest, byte[]> content : allContent(index).entrySet()) {
      assertThat(stored(content.getKey())).as("content %s", content.getKey()).isEqualTo(content.getValue());
    }
    assertThat(state.findReplicas(REPO, index.digest())).containsExactly(ASIA);
    List<OutboxEntry> outbox = state.readOutbox(10);
    assertThat(outbox).singleElement().satisfies(entry -> {
      ReplicaAck ack = (ReplicaAck) codec.decode(entry.payload());
      assertThat(ack.region()).isEqualTo(ASIA);
      assertThat(ack.origin()).isEqualTo(ASIA);
      assertThat(ack.repository()).isEqualTo(REPO);
      assertThat(ack.digest()).isEqualTo(index.digest());
    });
  }

  @Test
  void jobsOfARepositoryThisRegionNoLongerAdmitsAreDroppedWithoutAskingAnyPeer() {
    TestImages.Image image = TestImages.image(9, 100_000);
    image.serveFrom(east);
    byte[] prefetch = BlobFixtures.randomBytes(50_000, 9);
    Digest prefetchDigest = east.addBlob(prefetch);
    startWorker(FAST, RepositoryFilter.of(List.of("**"), List.of("team-a/**")));

    pendingManifest(image, EAST);
    pendingBlob(prefetchDigest, prefetch.length, EAST);

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(east.requestsFor(image.digest())).isEmpty();
    assertThat(east.requestsFor(prefetchDigest)).isEmpty();
    assertThat(storedDigests()).isEmpty();
    assertThat(state.findReplicas(REPO, image.digest())).isEmpty();
    assertThat(state.outboxSize()).isZero();
  }

  @Test
  void aCorruptOriginIsNeverTrustedAndContentComesVerifiedFromAHealthyPeer() throws IOException {
    TestImages.Image image = TestImages.image(3, 400_000);
    byte[] prefetched = BlobFixtures.randomBytes(700_000, 4);
    image.serveFrom(east);
    image.serveFrom(west);
    Digest prefetchedDigest = east.addBlob(prefetched);
    west.addBlob(prefetched);
    east.fault(new FaultyPeer.Corrupt());
    startWorker(FAST);

    pendingManifest(image, EAST);
    pendingBlob(prefetchedDigest, prefetched.length, EAST);
    await().atMost(AWAIT).until(() -> state.transferCount() == 0);

    assertThat(east.requestsFor(image.digest())).isNotEmpty();
    assertThat(east.requestsFor(prefetchedDigest)).isNotEmpty();
    Map<Digest, byte[]> expected = new java.util.HashMap<>(allContent(image));
    expected.put(prefetchedDigest, prefetched);
    assertThat(storedDigests()).isEqualTo(expected.keySet());
    for (Digest digest : expected.keySet()) assertThat(stored(digest)).isEqualTo(expected.get(digest));
    try (Stream<Path> sessions = Files.list(store.paths().uploadsDir())) {
      assertThat(sessions).isEmpty();
    }
    assertThat(state.findReplicas(REPO, image.digest())).containsExactly(ASIA);
  }

  @Test
  void aConnectionDroppedMidBlobIsRetriedWithinTheJobAndResumesFromTheBytesHeld() {
    byte[] blob = BlobFixtures.randomBytes(2_000_000, 5);
    Digest digest = east.addBlob(blob);
    east.faultOnce(new FaultyPeer.DropAfter(800_000));
    startWorker(FAST);

    pendingBlob(digest, blob.length, EAST);
    await().atMost(AWAIT).until(() -> state.transferCount() == 0);

    assertThat(stored(digest)).isEqualTo(blob);
    List<FaultyPeer.Request> requests = east.requestsFor(digest);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).rangeStart()).isPositive();
    assertThat(east.bytesServed(digest)).isLessThan(2L * blob.length);
    assertThat(west.requests()).isEmpty();
  }

  @Test
  void aWorkerRestartedMidTransferResumesWithoutFetchingAgainWhatItHad() throws IOException {
    byte[] blob = BlobFixtures.randomBytes(4 * 1024 * 1024, 6);
    Digest digest = east.addBlob(blob);
    int stallAt = 1024 * 1024;
    east.faultOnce(new FaultyPeer.StallAfter(stallAt));
    startWorker(FAST);
    pendingBlob(digest, blob.length, EAST);
    Path session = store.paths().uploadData(BlobFetcher.uploadIdFor(digest));
    await().atMost(AWAIT).until(() -> east.stalledNow() == 1 && Files.exists(session) && Files.size(session) == stallAt);

    stopWorker(); // mid-transfer: the peer is still holding the connection open
    startWorker(FAST); // a new worker, store and state on the same directories

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(stored(digest)).isEqualTo(blob);
    List<FaultyPeer.Request> requests = east.requestsFor(digest);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).rangeStart()).isEqualTo(stallAt);
    assertThat(east.bytesServed(digest)).isEqualTo(blob.length);
  }

  /** Both kinds of body: the pooled client's stream, and a large blob's own connection read into the copy's buffer. */
  @ParameterizedTest(name = "blob of {0} bytes")
  @ValueSource(ints = {2 * 1024 * 1024, 5 * 1024 * 1024})
  void stoppingEndsATransferStalledMidBodyAtOnceAndKeepsTheBytesHeld(int size) throws IOException {
    byte[] blob = BlobFixtures.randomBytes(size, 7);
    Digest digest = east.addBlob(blob);
    int stallAt = 512 * 1024;
    east.faultOnce(new FaultyPeer.StallAfter(stallAt));
    startWorker(FAST);
    pendingBlob(digest, blob.length, EAST);
    Path session = store.paths().uploadData(BlobFetcher.uploadIdFor(digest));
    await().atMost(AWAIT).until(() -> east.stalledNow() == 1 && Files.exists(session) && Files.size(session) == stallAt);

    long started = System.nanoTime();
    worker.stop();
    Duration stopping = Duration.ofNanos(System.nanoTime() - started);

    // The JDK client's body stream ignores the interrupt: without aborting the read, stop waits for the
    // read timeout (10 s here) or, with a peer that trickles, for its 30 s limit.
    assertThat(stopping).isLessThan(Duration.ofSeconds(5));
    assertThat(worker.runningCount()).isZero();
    assertThat(Files.size(session)).isEqualTo(stallAt);
    boolean ownConnection = size >= HttpPeerClient.SOCKET_BODY_MIN_BYTES;
    assertThat(east.requestsFor(digest)).singleElement().satisfies(r ->
        assertThat(r.userAgent().filter(HttpPeerClient.USER_AGENT::equals).isPresent()).as("own connection").isEqualTo(ownConnection));
  }

  @Test
  void aJobWhoseManifestWasDeletedMeanwhileIsDroppedWithoutFetching() {
    TestImages.Image image = TestImages.image(7, 1000);
    image.serveFrom(east);
    startWorker(FAST);
    ManifestRecord deleted = record(image, EAST).deletedAt(new Stamp(hlc.tick(), WEST));
    state.apply(StateBatch.of(new StateWrite.PutManifest(deleted), new StateWrite.PutTransfer(job(image.digest(), TransferJob.Kind.MANIFEST, EAST, image.size()))));
    worker.wake();

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(east.requests()).isEmpty();
    assertThat(state.outboxSize()).isZero();
    assertThat(store.stat(image.digest())).isEmpty();
  }

  @Test
  void aJobEveryPeerFailsStaysDurableAndCompletesOnceAPeerHeals() {
    byte[] blob = BlobFixtures.randomBytes(100_000, 8);
    Digest digest = east.addBlob(blob);
    west.addBlob(blob);
    east.fault(new FaultyPeer.Status(503));
    west.fault(new FaultyPeer.Status(503));
    startWorker(FAST);

    pendingBlob(digest, blob.length, EAST);
    await().atMost(AWAIT).until(() -> west.requestsFor(digest).size() >= 2 * FAST.retryAttempts());
    assertThat(state.findTransfer(REPO, digest, TransferJob.Kind.BLOB)).isPresent();
    assertThat(store.stat(digest)).isEmpty();

    west.fault(new FaultyPeer.Healthy());
    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(stored(digest)).isEqualTo(blob);
    // Copied ahead of any manifest: the prefetch sweeper will reclaim it unless a manifest claims it.
    assertThat(state.listPrefetched(10)).extracting(p -> p.digest()).containsExactly(digest);
  }

  @Test
  void aSickPeerIsSkippedOnceItsCircuitBreakerOpens() {
    TransferConfig config = TransferConfig.builder()
        .retryAttempts(1)
        .breaker(50, 2, 2, Duration.ofMinutes(10))
        .scanInterval(Duration.ofMillis(100))
        .build();
    east.fault(new FaultyPeer.Status(503));
    startWorker(config);
    for (int i = 0; i < 5; i++) {
      byte[] blob = BlobFixtures.randomBytes(10_000, 100 + i);
      Digest digest = west.addBlob(blob);
      east.addBlob(blob);
      pendingBlob(digest, blob.length, EAST);
      await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    }
    assertThat(east.requests()).hasSize(2); // two failures open its breaker; jobs 3 to 5 go straight to westeu
    assertThat(west.requests()).hasSize(5);
  }

  @Test
  void noMoreTransfersRunAtOnceThanConfigured() {
    TransferConfig config = TransferConfig.builder().maxConcurrent(2).scanInterval(Duration.ofMillis(100)).build();
    east.fault(new FaultyPeer.PauseAfter(1000, 500));
    startWorker(config);
    List<Digest> digests = new ArrayList<>();
    StateBatch.Builder batch = StateBatch.builder();
    for (int i = 0; i < 6; i++) {
      Digest digest = east.addBlob(BlobFixtures.randomBytes(20_000, 200 + i));
      digests.add(digest);
      batch.add(new StateWrite.PutTransfer(job(digest, TransferJob.Kind.BLOB, EAST, 20_000)));
    }
    state.apply(batch.build());
    worker.wake();

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(east.maxInFlight()).isEqualTo(2);
    for (Digest digest : digests) assertThat(store.stat(digest)).isPresent();
  }

  @Test
  void twoJobsNeedingTheSameLayerAtOnceFetchItOnce() {
    SharingALayer pair = sharingALayer(10, 11, 3_000_000);
    east.fault(new FaultyPeer.PauseAfter(1000, 300)); // both jobs reach the layer while one is still copying it
    startWorker(FAST);

    pendingManifests(EAST, pair.first(), pair.second());

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(stored(pair.shared())).isEqualTo(pair.first().blobs().get(pair.shared()));
    assertThat(east.bytesServed(pair.shared())).isEqualTo(3_000_000);
    assertThat(state.readOutbox(10)).hasSize(2);
  }

  @Test
  void aSharedLayerWhosePeerDiesMidCopyIsResumedOnceWhileTheOtherJobWaitsAndBothComplete() {
    SharingALayer pair = sharingALayer(12, 13, 3_000_000);
    east.faultOnceFor(pair.shared(), new FaultyPeer.DropAfter(1_000_000));
    startWorker(FAST);

    pendingManifests(EAST, pair.first(), pair.second());

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(stored(pair.shared())).isEqualTo(pair.first().blobs().get(pair.shared()));
    // One copy of the layer, resumed from the bytes held when the connection dropped: not one copy per job, not
    // restarted from 0 (the bytes in flight when it dropped may be lost, so the offset is at most the bytes sent).
    assertThat(east.requestsFor(pair.shared())).hasSize(2);
    String range = east.requestsFor(pair.shared()).get(1).range().orElseThrow();
    long resumedAt = Long.parseLong(range.replaceAll("^bytes=(\\d+)-$", "$1"));
    assertThat(resumedAt).isPositive().isLessThanOrEqualTo(1_000_000);
    assertThat(east.bytesServed(pair.shared())).isEqualTo(1_000_000 + 3_000_000 - resumedAt);
    assertThat(state.readOutbox(10)).hasSize(2);
  }

  @Test
  void aSharedLayerServedCorruptOnceIsNeverStoredCorruptAndBothJobsCompleteFromAGoodCopy() {
    SharingALayer pair = sharingALayer(14, 15, 2_000_000);
    pair.first().serveFrom(west);
    pair.second().serveFrom(west);
    east.faultOnceFor(pair.shared(), new FaultyPeer.Corrupt());
    startWorker(FAST);

    pendingManifests(EAST, pair.first(), pair.second());

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);
    assertThat(stored(pair.shared())).isEqualTo(pair.first().blobs().get(pair.shared()));
    assertThat(state.readOutbox(10)).hasSize(2);
  }

  @Test
  void manifestJobsOfManyRepositoriesForOneImageEachCompleteOnceWithOneAckAndADeletedOneIsDropped() {
    TestImages.Image image = TestImages.image(7, 50_000);
    image.serveFrom(east);
    startWorker(FAST);
    int repositories = 300;
    StateBatch.Builder pending = StateBatch.builder();
    for (int k = 0; k < repositories; k++) {
      RepositoryName repository = new RepositoryName(String.format("seed/r%03d", k));
      Stamp stamp = new Stamp(hlc.tick(), EAST);
      // Repository 0's register is deleted: its job must be dropped, not acknowledged.
      pending.putManifest(new ManifestRecord(repository, image.digest(), image.mediaType(), image.size(), List.of(),
          Optional.empty(), Optional.empty(), Map.of(), k != 0, stamp));
      pending.add(new StateWrite.PutTransfer(new TransferJob(repository, image.digest(), TransferJob.Kind.MANIFEST, EAST,
          image.size(), Instant.now())));
    }
    state.apply(pending.build());
    worker.wake();

    await().atMost(AWAIT).until(() -> state.transferCount() == 0);

    assertThat(state.findReplicas(new RepositoryName("seed/r000"), image.digest())).isEmpty();
    Set<RepositoryName> acked = new HashSet<>();
    for (OutboxEntry entry : state.readOutbox(2 * repositories)) {
      ReplicaAck ack = (ReplicaAck) codec.decode(entry.payload());
      assertThat(acked.add(ack.repository())).as("one ack for %s", ack.repository()).isTrue();
    }
    assertThat(acked).hasSize(repositories - 1).doesNotContain(new RepositoryName("seed/r000"));
    for (int k = 1; k < repositories; k++) {
      assertThat(state.findReplicas(new RepositoryName(String.format("seed/r%03d", k)), image.digest())).contains(ASIA);
    }
    // The content is shared: it is fetched for the first jobs, not for every repository.
    assertThat(east.requestsFor(image.digest()).size()).isLessThanOrEqualTo(TransferConfig.defaults().maxConcurrent());
  }

  private void pendingManifest(TestImages.Image image, RegionId origin) {
    pendingManifests(origin, image);
  }

  /** The images' manifests and their MANIFEST jobs in one batch, so the worker sees them at once. */
  private void pendingManifests(RegionId origin, TestImages.Image... images) {
    var writes = new ArrayList<StateWrite>();
    for (TestImages.Image image : images) {
      writes.add(new StateWrite.PutManifest(record(image, origin)));
      writes.add(new StateWrite.PutTransfer(job(image.digest(), TransferJob.Kind.MANIFEST, origin, image.size())));
    }
    state.apply(new StateBatch(writes));
    worker.wake();
  }

  /** Two images served by {@code east} whose second blob (a layer of {@code layerSize} bytes) is the same. */
  private SharingALayer sharingALayer(int firstSeed, int secondSeed, int layerSize) {
    TestImages.Image first = TestImages.image(firstSeed, 20, layerSize);
    TestImages.Image second = TestImages.image(secondSeed, 20, layerSize);
    first.serveFrom(east);
    second.serveFrom(east);
    Digest shared = first.blobs().keySet().stream().skip(1).findFirst().orElseThrow();
    assertThat(second.blobs()).containsKey(shared);
    return new SharingALayer(first, second, shared);
  }

  private record SharingALayer(TestImages.Image first, TestImages.Image second, Digest shared) {}

  private void pendingBlob(Digest digest, long size, RegionId origin) {
    state.apply(StateBatch.of(new StateWrite.PutTransfer(job(digest, TransferJob.Kind.BLOB, origin, size))));
    worker.wake();
  }

  private ManifestRecord record(TestImages.Image image, RegionId origin) {
    return new ManifestRecord(REPO, image.digest(), image.mediaType(), image.size(), List.of(), Optional.empty(),
        Optional.empty(), Map.of(), true, new Stamp(hlc.tick(), origin));
  }

  private static TransferJob job(Digest digest, TransferJob.Kind kind, RegionId origin, long size) {
    return new TransferJob(REPO, digest, kind, origin, size, Instant.now());
  }

  private static Map<Digest, byte[]> allContent(TestImages.Image image) {
    Map<Digest, byte[]> all = new java.util.HashMap<>(image.blobs());
    all.putAll(image.manifests());
    return all;
  }

  private Set<Digest> storedDigests() {
    Set<Digest> digests = new HashSet<>();
    store.forEach((BlobInfo info) -> digests.add(info.digest()));
    return digests;
  }

  private byte[] stored(Digest digest) {
    try (BlobContent content = store.open(digest)) {
      return BlobFixtures.readAll(content);
    }
  }
}
