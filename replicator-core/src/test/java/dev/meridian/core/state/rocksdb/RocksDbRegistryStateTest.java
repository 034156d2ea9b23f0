package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.batch;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.manifest;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.RegistryStateContract;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateStoreException;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.UploadSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbRegistryStateTest extends RegistryStateContract {
  @TempDir Path dir;

  @Override
  protected RegistryState newState() {
    return RocksDbRegistryState.open(dir.resolve("state"));
  }

  private RegistryState reopen() {
    state.close();
    state = RocksDbRegistryState.open(dir.resolve("state"));
    return state;
  }

  @Test
  void transferCountIsExactUpToItsBoundAndNeverBelowItBeyond() {
    int jobs = RocksDbRegistryState.EXACT_TRANSFER_COUNT + 500;
    for (int start = 0; start < jobs; start += 5_000) {
      StateBatch.Builder batch = StateBatch.builder();
      for (int k = start; k < Math.min(jobs, start + 5_000); k++) {
        batch.add(new StateWrite.PutTransfer(new dev.meridian.core.state.TransferJob(repo("r" + k), digest(1),
            dev.meridian.core.state.TransferJob.Kind.MANIFEST, EAST, 10, Instant.EPOCH)));
      }
      state.apply(batch.build().withoutSync());
      if (start == 0) assertThat(state.transferCount()).isEqualTo(5_000);
    }

    assertThat(state.transferCount()).isGreaterThanOrEqualTo(RocksDbRegistryState.EXACT_TRANSFER_COUNT);
  }

  private static dev.meridian.core.state.TransferJob job(int n) {
    return new dev.meridian.core.state.TransferJob(repo(String.format("r%03d", n)), digest(1),
        dev.meridian.core.state.TransferJob.Kind.MANIFEST, EAST, 10, Instant.EPOCH);
  }

  private void addJobs(int from, int to) {
    StateBatch.Builder batch = StateBatch.builder();
    for (int n = from; n < to; n++) batch.add(new StateWrite.PutTransfer(job(n)));
    state.apply(batch.build());
  }

  private void deleteJobs(int from, int to) {
    StateBatch.Builder batch = StateBatch.builder();
    for (int n = from; n < to; n++) batch.add(new StateWrite.DeleteTransfer(job(n).repository(), digest(1), job(n).kind()));
    state.apply(batch.build());
  }

  private List<String> listedJobs() {
    return state.listTransfers(Optional.empty(), 1_000).stream().map(j -> j.repository().value()).toList();
  }

  @Test
  void jobsAddedBelowTheFirstJobAScanFoundAreStillListedAndCounted() {
    addJobs(50, 60);
    assertThat(listedJobs()).hasSize(10).startsWith("r050");
    deleteJobs(50, 58);
    assertThat(listedJobs()).containsExactly("r058", "r059");

    addJobs(10, 12);

    assertThat(listedJobs()).containsExactly("r010", "r011", "r058", "r059");
    assertThat(state.transferCount()).isEqualTo(4);
  }

  @Test
  void aJobAddedAfterTheLastOneWasDoneIsListedWhereverItSorts() {
    addJobs(0, 20);
    deleteJobs(0, 20);
    assertThat(listedJobs()).isEmpty();
    assertThat(state.transferCount()).isZero();

    addJobs(5, 6);

    assertThat(listedJobs()).containsExactly("r005");
    assertThat(state.transferCount()).isEqualTo(1);
  }

  @Test
  void listingWhileJobsAreAddedAndDoneNeverLosesOne() throws Exception {
    java.util.Random random = new java.util.Random(7);
    java.util.TreeSet<Integer> live = new java.util.TreeSet<>();
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      while (writing.get()) {
        state.listTransfers(Optional.empty(), 3);
        state.transferCount();
      }
    });
    reader.start();
    try {
      for (int round = 0; round < 2_000; round++) {
        int n = random.nextInt(200);
        if (live.contains(n)) {
          deleteJobs(n, n + 1);
          live.remove(n);
        } else {
          addJobs(n, n + 1);
          live.add(n);
        }
      }
    } finally {
      writing.set(false);
      reader.join();
    }

    assertThat(listedJobs()).containsExactlyElementsOf(live.stream().map(n -> String.format("r%03d", n)).toList());
  }

  @Test
  void everythingWrittenSurvivesCloseAndReopen() {
    Digest subject = digest(100);
    ManifestRecord sbom = manifest("app", digest(1), Optional.of(subject), true, stamp(10, EAST));
    UploadSession upload = new UploadSession(new UploadId("u-1"), repo("app"), Instant.parse("2024-05-01T10:15:30Z"));
    LogPosition p0 = new LogPosition("meridian.events", 0);
    state.apply(StateBatch.builder()
        .putTag(tag("app", "v1", digest(1), stamp(10, EAST)))
        .putManifest(sbom)
        .putBlobLink(link("app", digest(2), true, stamp(10, EAST)))
        .putUpload(upload)
        .appendOutbox(bytes("event"))
        .putConsumerOffset(p0, 42)
        .putMeta("region", bytes("eastus"))
        .build());

    reopen();

    assertThat(state.findTag(repo("app"), new Tag("v1"))).contains(tag("app", "v1", digest(1), stamp(10, EAST)));
    assertThat(state.listTags(repo("app"), Optional.empty(), 10)).containsExactly(new Tag("v1"));
    assertThat(state.findManifest(repo("app"), digest(1))).contains(sbom);
    assertThat(state.findReferrers(repo("app"), subject)).containsExactly(sbom);
    assertThat(state.findBlobLink(repo("app"), digest(2))).contains(link("app", digest(2), true, stamp(10, EAST)));
    assertThat(state.findUpload(upload.id())).contains(upload);
    assertThat(state.readOutbox(10)).extracting(OutboxEntry::payload).containsExactly(bytes("event"));
    assertThat(state.outboxSize()).isEqualTo(1);
    assertThat(state.consumerOffsets()).containsExactly(Map.entry(p0, 42L));
    assertThat(state.findMeta("region")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("eastus")));
    assertThat(state.listRepositories(Optional.empty(), 10)).containsExactly(repo("app"));
  }

  @Test
  void outboxSequencesKeepIncreasingAcrossReopenEvenWhenTheOutboxWasEmptied() {
    state.apply(StateBatch.builder().appendOutbox(bytes("e1")).appendOutbox(bytes("e2")).build());
    long last = state.readOutbox(10).get(1).sequence();

    reopen();
    state.apply(StateBatch.builder().appendOutbox(bytes("e3")).build());
    List<OutboxEntry> entries = state.readOutbox(10);
    assertThat(entries).extracting(OutboxEntry::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(entries.get(2).sequence()).isGreaterThan(last);
    assertThat(state.outboxSize()).isEqualTo(3);

    long afterReopen = entries.get(2).sequence();
    for (OutboxEntry e : entries) state.deleteOutbox(e.sequence());
    reopen();
    assertThat(state.outboxSize()).isZero();
    state.apply(StateBatch.builder().appendOutbox(bytes("e4")).build());
    assertThat(state.readOutbox(10)).singleElement()
        .satisfies(e -> assertThat(e.sequence()).isGreaterThan(afterReopen));
  }

  @Test
  void aBatchDeleteOfTheOutboxCountsEachEntryStillThereOnce() {
    state.apply(StateBatch.builder().appendOutbox(bytes("e1")).appendOutbox(bytes("e2")).appendOutbox(bytes("e3")).build());
    List<Long> sequences = state.readOutbox(10).stream().map(OutboxEntry::sequence).toList();
    state.deleteOutbox(sequences.get(0));

    // The first is gone already; the second is listed twice.
    state.deleteOutbox(List.of(sequences.get(0), sequences.get(1), sequences.get(1)));

    assertThat(state.readOutbox(10)).extracting(OutboxEntry::sequence).containsExactly(sequences.get(2));
    assertThat(state.outboxSize()).isEqualTo(1);
  }

  @Test
  void aBatchWithAWriteThatCannotBeStoredAppliesNothing() {
    // A platform map is opaque JSON; an object that is not JSON cannot be stored faithfully.
    Descriptor unstorable = new Descriptor(MediaType.OCI_MANIFEST, digest(9), 10, Optional.empty(), Map.of(),
        Optional.of(Map.of("os", new Object())));
    ManifestRecord index = new ManifestRecord(repo("app"), digest(3), MediaType.OCI_INDEX, 300, List.of(unstorable),
        Optional.empty(), Optional.empty(), Map.of(), true, stamp(11, EAST));
    StateBatch batch = StateBatch.builder()
        .putTag(tag("app", "v1", digest(3), stamp(11, EAST)))
        .appendOutbox(bytes("manifest.put"))
        .putManifest(index)
        .putConsumerOffset(new LogPosition("meridian.events", 0), 7)
        .build();

    assertThatThrownBy(() -> state.apply(batch)).isInstanceOf(IllegalArgumentException.class);

    assertThat(state.findTag(repo("app"), new Tag("v1"))).isEmpty();
    assertThat(state.findManifest(repo("app"), digest(3))).isEmpty();
    assertThat(state.repositoryExists(repo("app"))).isFalse();
    assertThat(state.readOutbox(10)).isEmpty();
    assertThat(state.outboxSize()).isZero();
    assertThat(state.consumerOffsets()).isEmpty();
    state.apply(StateBatch.builder().appendOutbox(bytes("next")).build());
    assertThat(state.readOutbox(10)).extracting(OutboxEntry::sequence).containsExactly(1L);
  }

  @Test
  void aManifestWithPlatformsAndAnnotationsRoundTrips() {
    Descriptor child = new Descriptor(MediaType.OCI_MANIFEST, digest(9), 10, Optional.of("application/x"),
        Map.of("k", "v"), Optional.of(Map.of("os", "linux", "architecture", "arm64", "os.features", List.of("a", "b"))));
    ManifestRecord index = new ManifestRecord(repo("app"), digest(3), MediaType.OCI_INDEX, 300, List.of(child),
        Optional.of(Descriptor.of(MediaType.OCI_MANIFEST, digest(4), 5)), Optional.of("application/vnd.example"),
        Map.of("org.opencontainers.image.title", "x"), true, stamp(11, 7, WEST));
    state.apply(batch(index));
    reopen();
    assertThat(state.findManifest(repo("app"), digest(3))).contains(index);
  }

  @Test
  void theStoreCreatesItsDirectoryWhenMissing() {
    try (RegistryState nested = RocksDbRegistryState.open(dir.resolve("a/b/c"))) {
      nested.apply(batch(tag("app", "v1", digest(1), stamp(10, EAST))));
      assertThat(nested.repositoryExists(repo("app"))).isTrue();
    }
    assertThat(dir.resolve("a/b/c/CURRENT")).exists();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsWithAStateStoreException() {
    assertThatThrownBy(() -> RocksDbRegistryState.open(dir.resolve("state")))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("cannot open state store");
  }

  @Test
  void closeReleasesTheDatabaseSoItCanBeReopenedAndLaterCallsAreRefused() {
    RegistryState closed = state;
    state.close();
    state.close(); // idempotent
    assertThatThrownBy(() -> closed.findTag(repo("app"), new Tag("v1"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> closed.apply(batch(tag("app", "v1", digest(1), stamp(10, EAST)))))
        .isInstanceOf(IllegalStateException.class);
    state = RocksDbRegistryState.open(dir.resolve("state"));
    assertThat(state.repositoryExists(repo("app"))).isFalse();
  }

  @Test
  void theStoreKeepsItsOwnMetaKeysApartFromCallers() {
    assertThatThrownBy(() -> new StateWrite.PutMeta("state.outbox.next-sequence", new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsyncedBatchesAreVisibleAtOnceAndDurableOnceALaterBatchIsSynced(@TempDir Path dir) {
    try (RocksDbRegistryState store = RocksDbRegistryState.open(dir)) {
      store.apply(batch(tag("app", "v1", digest(1), stamp(1, EAST))).withoutSync());
      assertThat(store.findTag(repo("app"), new Tag("v1"))).isPresent();
      store.apply(batch(tag("app", "v2", digest(2), stamp(2, EAST))));
    }
    try (RocksDbRegistryState reopened = RocksDbRegistryState.open(dir)) {
      assertThat(reopened.listTags(repo("app"), Optional.empty(), 10)).extracting(Tag::value).containsExactly("v1", "v2");
    }
  }
}
