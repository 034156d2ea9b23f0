package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import dev.meridian.topology.Region;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-through's bounds and its fetch of a manifest PUT's missing references, against a real peer over sockets into a
 * real blob store and RocksDB.
 */
class PeerReadThroughTest {
  private static final RepositoryName REPO = new RepositoryName("team/app");
  private static final RegionId SELF = new RegionId("asia");

  @TempDir Path dir;

  private final FaultyPeer east = FaultyPeerFixtures.start();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private FileSystemBlobStore store;
  private RocksDbRegistryState state;
  private PeerClients peers;
  private PeerReadThrough readThrough;
  /** How each wait ended, as the metrics are told. */
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private final TransferListener waits = new TransferListener() {
    @Override
    public void readThrough(ReadThroughCaller caller, ReadThroughOutcome outcome, Duration took) {
      outcomes.add(caller + " " + outcome);
    }
  };

  @AfterEach
  void close() {
    if (readThrough != null) readThrough.close(); // its fetches stop before the peer and the stores go
    east.close();
    callers.shutdownNow();
    if (peers != null) peers.close();
    if (state != null) state.close();
    if (store != null) store.close();
  }

  private void open(Duration timeout) {
    store = new FileSystemBlobStore(dir.resolve("blobs"));
    state = RocksDbRegistryState.open(dir.resolve("state"));
    Topology topology = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(
        Region.of("asia", "http://127.0.0.1:1"), Region.of("eastus", east.url().toString())));
    TransferConfig config = TransferConfig.builder().timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)).build();
    peers = PeerClients.http(topology, SELF, config);
    readThrough = new PeerReadThrough(SELF, LiveTopology.fixed(topology), state,
        new ContentCompletion(store, new BlobFetcher(store, 64 * 1024)), peers, new Hlc(Clock.systemUTC()), timeout, () -> {},
        new ContentGuard(), waits);
  }

  private Descriptor layer(byte[] bytes) {
    return Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar"), east.addBlob(bytes), bytes.length);
  }

  @Test
  void aManifestsMissingLayersAreFetchedAtOnceNotOneAfterAnother() {
    open(Duration.ofSeconds(30));
    List<Descriptor> layers = IntStream.range(0, 3).mapToObj(i -> layer(BlobFixtures.randomBytes(10_000, i))).toList();
    east.fault(new FaultyPeer.AnswerAfter(300)); // each answer waits: fetched one by one, no two would overlap

    assertThat(readThrough.references(REPO, layers)).isTrue();

    assertThat(east.maxInFlight()).isGreaterThanOrEqualTo(2);
    assertThat(outcomes).containsExactly("PUT SERVED");
    assertThat(layers).allSatisfy(d -> assertThat(store.stat(d.digest())).isPresent());
    assertThat(layers).allSatisfy(d -> assertThat(state.findBlobLink(REPO, d.digest())).isPresent());
  }

  @Test
  void aLargeLayerTakesTheLargeBlobPathBecauseItsDescriptorGivesItsSize() {
    open(Duration.ofSeconds(30));
    Descriptor large = layer(BlobFixtures.randomBytes((int) HttpPeerClient.SOCKET_BODY_MIN_BYTES + 1000, 7));

    assertThat(readThrough.references(REPO, List.of(large))).isTrue();

    assertThat(east.requestsFor(large.digest())).singleElement()
        .satisfies(r -> assertThat(r.userAgent()).isEqualTo(Optional.of(HttpPeerClient.USER_AGENT)));
    assertThat(store.stat(large.digest())).isPresent();
  }

  @Test
  void oneLayerNoPeerHoldsFailsTheWholeFetch() {
    open(Duration.ofSeconds(30));
    Descriptor held = layer(BlobFixtures.randomBytes(1000, 1));
    byte[] absent = BlobFixtures.randomBytes(1000, 2);
    Descriptor missing = Descriptor.of(held.mediaType(), Digest.sha256Of(absent), absent.length);

    assertThat(readThrough.references(REPO, List.of(held, missing))).isFalse();
    assertThat(outcomes).containsExactly("PUT ABSENT");
  }

  @Test
  void aClaimedSizeSmallerThanTheBytesAlreadyCopiedLeavesThatCopyToResume() {
    open(Duration.ofSeconds(30));
    byte[] bytes = BlobFixtures.randomBytes(200_000, 600);
    Descriptor real = layer(bytes);
    BlobUpload cutOff = store.startUpload(BlobFetcher.uploadIdFor(real.digest())); // a transfer cut off half way
    cutOff.append(ByteBuffer.wrap(bytes, 0, 100_000));
    cutOff.sync();
    Descriptor lying = Descriptor.of(real.mediaType(), real.digest(), 50_000);

    assertThat(readThrough.references(REPO, List.of(lying))).isFalse();

    assertThat(store.findUpload(BlobFetcher.uploadIdFor(real.digest())).map(BlobUpload::size)).contains(100_000L);
    assertThat(readThrough.references(REPO, List.of(real))).isTrue();
    assertThat(east.requestsFor(real.digest())).extracting(FaultyPeer.Request::rangeStart).containsOnly(100_000L);
    assertThat(store.stat(real.digest()).map(info -> info.size())).contains(200_000L);
  }

  @Test
  void moreReferencesThanTheBoundAreNotFetchedAtAll() {
    open(Duration.ofSeconds(30));
    List<Descriptor> many = IntStream.range(0, PeerReadThrough.MAX_REFERENCES + 1)
        .mapToObj(i -> layer(BlobFixtures.randomBytes(100, 100 + i))).toList();

    assertThat(readThrough.references(REPO, many)).isFalse();

    assertThat(east.requests()).isEmpty();
    assertThat(outcomes).containsExactly("PUT REFUSED");
    assertThat(readThrough.references(REPO, many.subList(0, PeerReadThrough.MAX_REFERENCES))).isTrue();
  }

  @Test
  void aCallerBeyondTheBoundIsAnsweredAtOnceWhileTheOthersStillWaitForAStalledPeer() {
    open(Duration.ofSeconds(60));
    east.fault(new FaultyPeer.AnswerAfter(120_000)); // answers only when the peer closes
    List<Future<Boolean>> waiting = new ArrayList<>();
    for (int i = 0; i < PeerReadThrough.MAX_WAITING; i++) {
      Digest digest = east.addBlob(BlobFixtures.randomBytes(100, 200 + i));
      waiting.add(callers.submit(() -> readThrough.blob(REPO, digest)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> readThrough.waitingCallers() == PeerReadThrough.MAX_WAITING);
    Digest extra = east.addBlob(BlobFixtures.randomBytes(100, 300));

    assertThat(readThrough.blob(REPO, extra)).isFalse();

    assertThat(outcomes).containsExactly("PULL REFUSED");
    assertThat(waiting).noneMatch(Future::isDone);
    assertThat(readThrough.waitingCallers()).isEqualTo(PeerReadThrough.MAX_WAITING);
    assertThat(east.requestsFor(extra)).isEmpty();
  }

  @Test
  void contentAPeerLacksIsAskedForAgainOnceThePeerHasIt() {
    open(Duration.ofSeconds(30));
    byte[] bytes = BlobFixtures.randomBytes(1000, 400);
    Digest digest = Digest.sha256Of(bytes);

    assertThat(readThrough.blob(REPO, digest)).isFalse(); // a quick 404: no answer may outlive its fetch
    east.addBlob(bytes);

    assertThat(readThrough.blob(REPO, digest)).isTrue();
    assertThat(east.requestsFor(digest)).hasSize(2);
  }

  @Test
  void closingAnswersACallerStillWaitingOnAStalledPeer() throws Exception {
    open(Duration.ofSeconds(120));
    east.fault(new FaultyPeer.AnswerAfter(120_000));
    Digest digest = east.addBlob(BlobFixtures.randomBytes(100, 500));
    Future<Boolean> waiting = callers.submit(() -> readThrough.blob(REPO, digest));
    await().atMost(Duration.ofSeconds(30)).until(() -> readThrough.waitingCallers() == 1 && !east.requestsFor(digest).isEmpty());

    readThrough.close();

    await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
    assertThat(waiting.get()).isFalse();
  }

  @Test
  void allServedAnswersFalseAsSoonAsOneFetchFailsWithoutWaitingForTheRest() {
    CompletableFuture<Boolean> slow = new CompletableFuture<>();
    CompletableFuture<Boolean> failed = new CompletableFuture<>();
    CompletableFuture<Boolean> verdict = PeerReadThrough.allServed(List.of(slow, failed));
    assertThat(verdict).isNotDone();

    failed.completeExceptionally(new IllegalStateException("peer gone"));

    assertThat(verdict).isCompletedWithValue(false);
  }

  @Test
  void allServedAnswersTrueOnlyOnceEveryFetchServed() {
    CompletableFuture<Boolean> first = new CompletableFuture<>();
    CompletableFuture<Boolean> second = new CompletableFuture<>();
    CompletableFuture<Boolean> verdict = PeerReadThrough.allServed(List.of(first, second));

    first.complete(true);
    assertThat(verdict).isNotDone();
    second.complete(true);

    assertThat(verdict).isCompletedWithValue(true);
    assertThat(PeerReadThrough.allServed(List.of(CompletableFuture.completedFuture(false)))).isCompletedWithValue(false);
  }
}
