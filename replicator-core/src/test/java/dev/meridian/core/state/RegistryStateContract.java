package dev.meridian.core.state;

import static dev.meridian.core.state.StateFixtures.ASIA;
import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.batch;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.manifest;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static dev.meridian.core.state.StateFixtures.tagDeleted;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryState} does, whatever it stores in. An implementation's test extends this
 * and says how to make a fresh, empty store.
 */
public abstract class RegistryStateContract {
  protected static final Digest A = digest(1);
  protected static final Digest B = digest(2);
  protected static final Digest C = digest(3);

  protected RegistryState state;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract RegistryState newState();

  @BeforeEach
  void openState() {
    state = newState();
  }

  @AfterEach
  void closeState() {
    state.close();
  }

  private static Tag t(String tag) {
    return new Tag(tag);
  }

  // --- tags

  @Test
  void anUnknownTagIsNotFound() {
    assertThat(state.findTag(repo("app"), t("v1"))).isEmpty();
    assertThat(state.listTags(repo("app"), Optional.empty(), 100)).isEmpty();
  }

  @Test
  void aPutTagIsFoundWithItsDigestAndStamp() {
    TagRecord v1 = tag("app", "v1", A, stamp(10, EAST));
    state.apply(batch(v1));
    assertThat(state.findTag(repo("app"), t("v1"))).contains(v1);
  }

  @Test
  void theHigherStampWinsWhicheverArrivesFirst() {
    TagRecord older = tag("app", "v1", A, stamp(10, EAST));
    TagRecord newer = tag("app", "v1", B, stamp(11, EAST));
    state.apply(batch(newer));
    state.apply(batch(older));
    state.apply(batch(tag("other", "v1", B, stamp(10, EAST))));
    state.apply(batch(tag("other", "v1", A, stamp(11, EAST))));
    assertThat(state.findTag(repo("app"), t("v1"))).contains(newer);
    assertThat(state.findTag(repo("other"), t("v1")).flatMap(TagRecord::digest)).contains(A);
  }

  @Test
  void anEqualClockBreaksTheTieOnTheHigherRegionId() {
    state.apply(batch(tag("app", "v1", A, stamp(10, WEST))));
    state.apply(batch(tag("app", "v1", B, stamp(10, EAST))));
    state.apply(batch(tag("app", "v1", C, stamp(10, ASIA))));
    assertThat(state.findTag(repo("app"), t("v1")).flatMap(TagRecord::digest)).contains(A); // westeu > eastus > asia
  }

  @Test
  void theLogicalCounterOrdersWritesWithinOneMillisecond() {
    state.apply(batch(tag("app", "v1", A, stamp(10, 2, EAST))));
    state.apply(batch(tag("app", "v1", B, stamp(10, 1, WEST))));
    assertThat(state.findTag(repo("app"), t("v1")).flatMap(TagRecord::digest)).contains(A);
  }

  @Test
  void applyingTheSameWriteTwiceChangesNothing() {
    TagRecord v1 = tag("app", "v1", A, stamp(10, EAST));
    state.apply(batch(v1));
    state.apply(batch(v1));
    assertThat(state.findTag(repo("app"), t("v1"))).contains(v1);
    assertThat(state.listTags(repo("app"), Optional.empty(), 10)).containsExactly(t("v1"));
  }

  @Test
  void aDeletedTagIsFoundAsTombstoneButNotListed() {
    state.apply(batch(tag("app", "v1", A, stamp(10, EAST)), tag("app", "v2", A, stamp(10, EAST))));
    TagRecord tombstone = tagDeleted("app", "v1", stamp(11, WEST));
    state.apply(batch(tombstone));
    assertThat(state.findTag(repo("app"), t("v1"))).contains(tombstone);
    assertThat(state.findTag(repo("app"), t("v1")).orElseThrow().isDeleted()).isTrue();
    assertThat(state.listTags(repo("app"), Optional.empty(), 10)).containsExactly(t("v2"));
  }

  @Test
  void aTombstoneOlderThanThePutDoesNotDeleteTheTag() {
    state.apply(batch(tag("app", "v1", A, stamp(12, EAST))));
    state.apply(batch(tagDeleted("app", "v1", stamp(11, WEST))));
    assertThat(state.listTags(repo("app"), Optional.empty(), 10)).containsExactly(t("v1"));
  }

  @Test
  void tagsAreListedInLexicalOrderAfterLastAndUpToTheLimit() {
    for (String name : List.of("v2", "latest", "V1", "v10", "1.0", "_x", "v1")) {
      state.apply(batch(tag("app", name, A, stamp(10, EAST))));
    }
    assertThat(state.listTags(repo("app"), Optional.empty(), 100))
        .extracting(Tag::value).containsExactly("1.0", "V1", "_x", "latest", "v1", "v10", "v2");
    assertThat(state.listTags(repo("app"), Optional.empty(), 2)).extracting(Tag::value).containsExactly("1.0", "V1");
    assertThat(state.listTags(repo("app"), Optional.of(t("latest")), 2)).extracting(Tag::value).containsExactly("v1", "v10");
    assertThat(state.listTags(repo("app"), Optional.of(t("m")), 100)).extracting(Tag::value).containsExactly("v1", "v10", "v2");
    assertThat(state.listTags(repo("app"), Optional.of(t("v2")), 100)).isEmpty();
    assertThat(state.listTags(repo("app"), Optional.empty(), 0)).isEmpty();
  }

  @Test
  void theLimitCountsOnlyLiveTags() {
    state.apply(batch(tagDeleted("app", "a", stamp(10, EAST)), tagDeleted("app", "b", stamp(10, EAST)),
        tag("app", "c", A, stamp(10, EAST)), tagDeleted("app", "d", stamp(10, EAST)), tag("app", "e", A, stamp(10, EAST))));
    assertThat(state.listTags(repo("app"), Optional.empty(), 2)).extracting(Tag::value).containsExactly("c", "e");
  }

  @Test
  void aRepositoryListsOnlyItsOwnTagsEvenWhenAnotherNameStartsWithIt() {
    state.apply(batch(tag("app", "v1", A, stamp(10, EAST)), tag("app/sub", "v2", A, stamp(10, EAST)),
        tag("app-x", "v3", A, stamp(10, EAST)), tag("ap", "v4", A, stamp(10, EAST)), tag("app.x", "v5", A, stamp(10, EAST))));
    assertThat(state.listTags(repo("app"), Optional.empty(), 100)).containsExactly(t("v1"));
    assertThat(state.listTags(repo("app/sub"), Optional.empty(), 100)).containsExactly(t("v2"));
    assertThat(state.findTag(repo("app"), t("v2"))).isEmpty();
  }

  @Test
  void twoWritesToOneTagInOneBatchKeepTheHigherStamp() {
    state.apply(batch(tag("app", "v1", A, stamp(11, EAST)), tag("app", "v1", B, stamp(10, EAST))));
    state.apply(batch(tag("app", "v2", A, stamp(10, EAST)), tag("app", "v2", B, stamp(11, EAST))));
    state.apply(batch(tag("app", "v3", A, stamp(10, EAST)), tagDeleted("app", "v3", stamp(11, EAST)),
        tag("app", "v3", C, stamp(9, EAST))));
    assertThat(state.findTag(repo("app"), t("v1")).flatMap(TagRecord::digest)).contains(A);
    assertThat(state.findTag(repo("app"), t("v2")).flatMap(TagRecord::digest)).contains(B);
    assertThat(state.findTag(repo("app"), t("v3")).orElseThrow().isDeleted()).isTrue();
  }

  // --- manifests and blob links

  @Test
  void aManifestIsFoundWithAllItsMetadata() {
    ManifestRecord m = manifest("app", A, Optional.of(B), true, stamp(10, EAST));
    state.apply(batch(m));
    assertThat(state.findManifest(repo("app"), A)).contains(m);
    assertThat(state.findManifest(repo("other"), A)).isEmpty();
  }

  @Test
  void aDeletedManifestIsFoundAsDeletedWithItsMetadataKept() {
    ManifestRecord m = manifest("app", A, stamp(10, EAST));
    state.apply(batch(m));
    state.apply(batch(m.deletedAt(stamp(11, WEST))));
    assertThat(state.findManifest(repo("app"), A)).contains(m.deletedAt(stamp(11, WEST)));
    state.apply(batch(m)); // a late duplicate of the put loses
    assertThat(state.findManifest(repo("app"), A).orElseThrow().present()).isFalse();
  }

  @Test
  void aBlobLinkMergesByStamp() {
    state.apply(batch(link("app", A, true, stamp(10, EAST))));
    assertThat(state.findBlobLink(repo("app"), A)).contains(link("app", A, true, stamp(10, EAST)));
    state.apply(batch(link("app", A, false, stamp(12, WEST)), link("app", A, true, stamp(11, EAST))));
    assertThat(state.findBlobLink(repo("app"), A)).contains(link("app", A, false, stamp(12, WEST)));
    assertThat(state.findBlobLink(repo("app"), B)).isEmpty();
  }

  @Test
  void everyManifestRegisterIsVisitedUnderItsOwnRepositoryWholeAndAsItsContent() {
    // Names that begin with another's ("app" then "app-x" then "app/x" in key order): a store that reads a name once
    // for a run of keys must not take one repository's registers for another's.
    List<ManifestRecord> written = List.of(
        manifest("app", A, stamp(10, EAST)),
        manifest("app", B, Optional.of(A), false, stamp(11, WEST)),
        manifest("app-x", A, stamp(12, EAST)),
        manifest("app/x", C, Optional.of(A), true, stamp(13, ASIA)),
        manifest("b", A, stamp(14, EAST)));
    state.apply(batch(written.toArray()));

    List<ManifestRecord> whole = new java.util.ArrayList<>();
    state.forEachManifest(whole::add);
    List<ManifestContent> contents = new java.util.ArrayList<>();
    state.forEachManifestContent(contents::add);

    assertThat(whole).containsExactlyInAnyOrderElementsOf(written);
    assertThat(contents).containsExactlyInAnyOrderElementsOf(written.stream().map(ManifestContent::of).toList());
    assertThat(contents).filteredOn(c -> c.repository().equals(repo("app")))
        .extracting(ManifestContent::present).containsExactlyInAnyOrder(true, false);
  }

  // --- referrers

  @Test
  void presentManifestsWithASubjectAreItsReferrersInDigestOrder() {
    Digest subject = digest(100);
    List<Digest> referrers = List.of(digest(1), digest(2), digest(3)).stream().sorted().toList();
    state.apply(batch(manifest("app", subject, stamp(10, EAST))));
    for (Digest r : referrers) state.apply(batch(manifest("app", r, Optional.of(subject), true, stamp(10, EAST))));
    state.apply(batch(manifest("app", digest(4), Optional.of(digest(101)), true, stamp(10, EAST))));
    state.apply(batch(manifest("other", digest(5), Optional.of(subject), true, stamp(10, EAST))));

    assertThat(state.findReferrers(repo("app"), subject)).extracting(ManifestRecord::digest).containsExactlyElementsOf(referrers);
    assertThat(state.findReferrers(repo("app"), digest(101))).extracting(ManifestRecord::digest).containsExactly(digest(4));
    assertThat(state.findReferrers(repo("other"), subject)).extracting(ManifestRecord::digest).containsExactly(digest(5));
    assertThat(state.findReferrers(repo("app"), digest(4))).isEmpty();
  }

  @Test
  void aReferrerIsRemovedWhenItsManifestIsDeletedAndBackWhenANewerPutWins() {
    Digest subject = digest(100);
    ManifestRecord sbom = manifest("app", A, Optional.of(subject), true, stamp(10, EAST));
    state.apply(batch(sbom));
    state.apply(batch(sbom.deletedAt(stamp(11, EAST))));
    assertThat(state.findReferrers(repo("app"), subject)).isEmpty();

    state.apply(batch(sbom)); // older than the delete: stays deleted
    assertThat(state.findReferrers(repo("app"), subject)).isEmpty();

    ManifestRecord again = manifest("app", A, Optional.of(subject), true, stamp(12, WEST));
    state.apply(batch(again));
    assertThat(state.findReferrers(repo("app"), subject)).containsExactly(again);
  }

  @Test
  void aDeleteOlderThanThePutLeavesTheReferrerListed() {
    Digest subject = digest(100);
    ManifestRecord sbom = manifest("app", A, Optional.of(subject), true, stamp(12, EAST));
    state.apply(batch(sbom));
    state.apply(batch(sbom.deletedAt(stamp(11, WEST))));
    assertThat(state.findReferrers(repo("app"), subject)).containsExactly(sbom);
  }

  @Test
  void aReferrerPutAndDeletedInOneBatchIsNotListed() {
    Digest subject = digest(100);
    ManifestRecord sbom = manifest("app", A, Optional.of(subject), true, stamp(10, EAST));
    state.apply(batch(sbom, sbom.deletedAt(stamp(11, EAST))));
    assertThat(state.findReferrers(repo("app"), subject)).isEmpty();
    state.apply(batch(sbom.deletedAt(stamp(12, EAST)), manifest("app", A, Optional.of(subject), true, stamp(13, EAST))));
    assertThat(state.findReferrers(repo("app"), subject)).extracting(ManifestRecord::digest).containsExactly(A);
  }

  // --- repositories

  @Test
  void aRepositoryExistsOnceAnyRegisterOfItWasWritten() {
    assertThat(state.repositoryExists(repo("a"))).isFalse();
    state.apply(batch(tagDeleted("a", "v1", stamp(10, EAST))));
    state.apply(batch(link("b", A, false, stamp(10, EAST))));
    state.apply(batch(manifest("c", A, stamp(10, EAST)).deletedAt(stamp(11, EAST))));
    assertThat(state.repositoryExists(repo("a"))).isTrue();
    assertThat(state.repositoryExists(repo("b"))).isTrue();
    assertThat(state.repositoryExists(repo("c"))).isTrue();
    assertThat(state.repositoryExists(repo("d"))).isFalse();
  }

  @Test
  void anUploadAloneDoesNotCreateARepository() {
    state.apply(StateBatch.of(new StateWrite.PutUpload(new UploadSession(UploadId.random(), repo("a"), Instant.EPOCH))));
    assertThat(state.repositoryExists(repo("a"))).isFalse();
    assertThat(state.listRepositories(Optional.empty(), 10)).isEmpty();
  }

  @Test
  void repositoriesAreListedInLexicalOrderAfterLastAndUpToTheLimit() {
    for (String name : List.of("team-b/app", "team-a/app", "team-a", "alpha", "team-a/app/sub")) {
      state.apply(batch(tag(name, "v1", A, stamp(10, EAST))));
    }
    assertThat(state.listRepositories(Optional.empty(), 100)).extracting(RepositoryName::value)
        .containsExactly("alpha", "team-a", "team-a/app", "team-a/app/sub", "team-b/app");
    assertThat(state.listRepositories(Optional.of(repo("team-a")), 2)).extracting(RepositoryName::value)
        .containsExactly("team-a/app", "team-a/app/sub");
    assertThat(state.listRepositories(Optional.of(repo("beta")), 1)).extracting(RepositoryName::value)
        .containsExactly("team-a");
    assertThat(state.listRepositories(Optional.of(repo("team-b/app")), 10)).isEmpty();
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThatThrownBy(() -> state.listTags(repo("a"), Optional.empty(), -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> state.listRepositories(Optional.empty(), -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> state.readOutbox(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- uploads

  @Test
  void anUploadSessionIsFoundUntilDeleted() {
    UploadSession session = new UploadSession(new UploadId("u-1"), repo("app"), Instant.parse("2024-05-01T10:15:30.123456789Z"));
    state.apply(StateBatch.of(new StateWrite.PutUpload(session)));
    assertThat(state.findUpload(session.id())).contains(session);
    assertThat(state.findUpload(new UploadId("u-2"))).isEmpty();
    state.apply(StateBatch.of(new StateWrite.DeleteUpload(session.id())));
    assertThat(state.findUpload(session.id())).isEmpty();
    state.apply(StateBatch.of(new StateWrite.DeleteUpload(session.id()))); // deleting twice is harmless
  }

  // --- outbox

  @Test
  void outboxEntriesGetIncreasingSequencesAndAreReadOldestFirst() {
    state.apply(StateBatch.builder().appendOutbox(bytes("e1")).appendOutbox(bytes("e2")).build());
    state.apply(StateBatch.builder().appendOutbox(bytes("e3")).build());
    List<OutboxEntry> entries = state.readOutbox(10);
    assertThat(entries).extracting(e -> new String(e.payload(), UTF_8)).containsExactly("e1", "e2", "e3");
    assertThat(entries).extracting(OutboxEntry::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(state.readOutbox(2)).containsExactlyElementsOf(entries.subList(0, 2));
    assertThat(state.outboxSize()).isEqualTo(3);
  }

  @Test
  void aDeletedOutboxEntryIsGoneAndLaterEntriesKeepGrowing() {
    state.apply(StateBatch.builder().appendOutbox(bytes("e1")).appendOutbox(bytes("e2")).build());
    List<OutboxEntry> before = state.readOutbox(10);
    state.deleteOutbox(before.get(0).sequence());
    state.deleteOutbox(before.get(0).sequence()); // a second delete does nothing
    state.deleteOutbox(before.get(1).sequence() + 1000); // nor does deleting one never written
    assertThat(state.readOutbox(10)).containsExactly(before.get(1));
    assertThat(state.outboxSize()).isEqualTo(1);

    state.deleteOutbox(before.get(1).sequence());
    state.apply(StateBatch.builder().appendOutbox(bytes("e3")).build());
    assertThat(state.readOutbox(10)).singleElement()
        .satisfies(e -> assertThat(e.sequence()).isGreaterThan(before.get(1).sequence()));
    assertThat(state.outboxSize()).isEqualTo(1);
  }

  @Test
  void shippedOutboxEntriesAreDeletedTogetherSkippingOnesAlreadyGone() {
    state.apply(StateBatch.builder().appendOutbox(bytes("e1")).appendOutbox(bytes("e2")).appendOutbox(bytes("e3")).build());
    List<OutboxEntry> before = state.readOutbox(10);
    state.deleteOutbox(before.get(0).sequence());
    state.deleteOutbox(List.of(before.get(0).sequence(), before.get(1).sequence(), before.get(2).sequence() + 1000));
    assertThat(state.readOutbox(10)).containsExactly(before.get(2));
    assertThat(state.outboxSize()).isEqualTo(1);

    state.deleteOutbox(List.of());
    state.deleteOutbox(List.of(before.get(2).sequence()));
    assertThat(state.readOutbox(10)).isEmpty();
    assertThat(state.outboxSize()).isZero();
  }

  @Test
  void outboxEntriesCommitWithTheStateTheyDescribe() {
    TagRecord v1 = tag("app", "v1", A, stamp(10, EAST));
    state.apply(StateBatch.builder().putTag(v1).appendOutbox(bytes("tag.put v1")).build());
    assertThat(state.findTag(repo("app"), t("v1"))).contains(v1);
    assertThat(state.readOutbox(10)).extracting(e -> new String(e.payload(), UTF_8)).containsExactly("tag.put v1");
  }

  // --- consumer offsets and meta

  @Test
  void consumerOffsetsAreKeptPerTopicPartitionAndTheLastWriteWins() {
    assertThat(state.consumerOffsets()).isEmpty();
    LogPosition p0 = new LogPosition("meridian.events", 0);
    LogPosition p1 = new LogPosition("meridian.events", 1);
    LogPosition other = new LogPosition("meridian.events.dlq", 0);
    state.apply(StateBatch.builder().putConsumerOffset(p0, 10).putConsumerOffset(p1, 3).build());
    state.apply(StateBatch.builder().putConsumerOffset(p0, 12).putConsumerOffset(other, 1L << 40).build());
    assertThat(state.consumerOffsets()).containsExactly(
        java.util.Map.entry(p0, 12L), java.util.Map.entry(p1, 3L), java.util.Map.entry(other, 1L << 40));
  }

  @Test
  void metaValuesAreFoundByKeyAndOverwritten() {
    assertThat(state.findMeta("region")).isEmpty();
    state.apply(StateBatch.builder().putMeta("region", bytes("eastus")).putMeta("seeded", new byte[0]).build());
    state.apply(StateBatch.builder().putMeta("region", bytes("westeu")).build());
    assertThat(state.findMeta("region")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("westeu")));
    assertThat(state.findMeta("seeded")).hasValueSatisfying(v -> assertThat(v).isEmpty());
  }

  @Test
  void anEmptyBatchChangesNothing() {
    state.apply(StateBatch.of());
    assertThat(state.listRepositories(Optional.empty(), 10)).isEmpty();
    assertThat(state.outboxSize()).isZero();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  // --- replication-local state: transfers, tag fallbacks, replicas

  private static TransferJob job(String repository, Digest digest, TransferJob.Kind kind) {
    return new TransferJob(repo(repository), digest, kind, EAST, 42, Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void aTransferJobIsFoundUntilDeleted() {
    TransferJob job = job("app", A, TransferJob.Kind.MANIFEST);
    state.apply(StateBatch.of(new StateWrite.PutTransfer(job)));
    assertThat(state.findTransfer(repo("app"), A, TransferJob.Kind.MANIFEST)).contains(job);
    assertThat(state.findTransfer(repo("app"), A, TransferJob.Kind.BLOB)).isEmpty();
    assertThat(state.findTransfer(repo("app"), B, TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(state.transferCount()).isEqualTo(1);

    state.apply(StateBatch.of(new StateWrite.DeleteTransfer(repo("app"), A, TransferJob.Kind.MANIFEST)));
    assertThat(state.findTransfer(repo("app"), A, TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(state.transferCount()).isZero();
  }

  @Test
  void aManifestJobAndABlobJobOfOneDigestAreIndependent() {
    state.apply(StateBatch.of(
        new StateWrite.PutTransfer(job("app", A, TransferJob.Kind.MANIFEST)),
        new StateWrite.PutTransfer(job("app", A, TransferJob.Kind.BLOB))));
    state.apply(StateBatch.of(new StateWrite.DeleteTransfer(repo("app"), A, TransferJob.Kind.MANIFEST)));
    assertThat(state.findTransfer(repo("app"), A, TransferJob.Kind.BLOB)).isPresent();
    assertThat(state.findTransfer(repo("app"), A, TransferJob.Kind.MANIFEST)).isEmpty();
  }

  @Test
  void transferJobsAreListedInPagesAcrossRepositories() {
    List<TransferJob> jobs = List.of(
        job("a", B, TransferJob.Kind.BLOB), job("a", B, TransferJob.Kind.MANIFEST), job("a/b", A, TransferJob.Kind.BLOB));
    state.apply(new StateBatch(jobs.stream().<StateWrite>map(StateWrite.PutTransfer::new).toList()));

    List<TransferJob> first = state.listTransfers(Optional.empty(), 2);
    assertThat(first).containsExactly(jobs.get(0), jobs.get(1));
    assertThat(state.listTransfers(Optional.of(first.get(1)), 2)).containsExactly(jobs.get(2));
    assertThat(state.listTransfers(Optional.of(jobs.get(2)), 2)).isEmpty();
  }

  @Test
  void aTagFallbackIsKeptUntilDeleted() {
    state.apply(StateBatch.of(new StateWrite.PutTagFallback(repo("app"), t("v1"), A)));
    assertThat(state.findTagFallback(repo("app"), t("v1"))).contains(A);
    assertThat(state.findTagFallback(repo("app"), t("v2"))).isEmpty();
    state.apply(StateBatch.of(new StateWrite.DeleteTagFallback(repo("app"), t("v1"))));
    assertThat(state.findTagFallback(repo("app"), t("v1"))).isEmpty();
  }

  @Test
  void replicasOfAManifestAccumulate() {
    state.apply(StateBatch.of(new StateWrite.PutReplica(repo("app"), A, WEST)));
    state.apply(StateBatch.of(new StateWrite.PutReplica(repo("app"), A, ASIA), new StateWrite.PutReplica(repo("app"), A, WEST)));
    state.apply(StateBatch.of(new StateWrite.PutReplica(repo("app"), B, EAST)));
    assertThat(state.findReplicas(repo("app"), A)).containsExactly(ASIA, WEST);
    assertThat(state.findReplicas(repo("app"), C)).isEmpty();
  }
}
