package dev.meridian.core.state;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.oci.RepositoryName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The anti-entropy digest of a repository's registers: equal exactly when the registers are, in any order. */
class RegisterDigestPropertiesTest {

  @Provide
  Arbitrary<List<Object>> writes() {
    return RegisterWrites.writes();
  }

  @Property
  void theDigestDoesNotDependOnTheOrderRegistersAreListedIn(@ForAll("writes") List<Object> writes, @ForAll Random random) {
    for (String r : RegisterWrites.REPOSITORIES) {
      RepositoryRegisters registers = registersOf(RegisterModel.of(writes), repo(r));
      RepositoryRegisters shuffled = new RepositoryRegisters(registers.repository(), shuffle(registers.tags(), random),
          shuffle(registers.manifests(), random), shuffle(registers.blobLinks(), random));
      assertThat(RegisterDigest.of(shuffled)).isEqualTo(RegisterDigest.of(registers));
    }
  }

  @Property
  void regionsThatMergedTheSameWritesInAnyOrderHaveTheSameDigest(@ForAll("writes") List<Object> writes, @ForAll Random random) {
    List<Object> delivered = new ArrayList<>(writes);
    delivered.add(writes.get(random.nextInt(writes.size())));
    Collections.shuffle(delivered, random);
    for (String r : RegisterWrites.REPOSITORIES) {
      assertThat(RegisterDigest.of(registersOf(RegisterModel.of(delivered), repo(r))))
          .isEqualTo(RegisterDigest.of(registersOf(RegisterModel.of(writes), repo(r))));
    }
  }

  @Property
  void twoRegionsHaveEqualDigestsExactlyWhenTheirRegistersAreEqual(
      @ForAll("writes") List<Object> mine, @ForAll("writes") List<Object> theirs, @ForAll Random random) {
    // Often the same writes, one of them missing: the lost event anti-entropy exists for.
    List<Object> other = random.nextBoolean() ? theirs : withoutOne(mine, random);
    for (String r : RegisterWrites.REPOSITORIES) {
      RepositoryRegisters a = registersOf(RegisterModel.of(mine), repo(r));
      RepositoryRegisters b = registersOf(RegisterModel.of(other), repo(r));
      assertThat(RegisterDigest.of(a).equals(RegisterDigest.of(b)))
          .as("digests equal iff registers equal: %s vs %s", a, b)
          .isEqualTo(mergeFacts(a).equals(mergeFacts(b)));
    }
  }

  @Test
  void changingOnlyAStampChangesTheDigest() {
    TagRecord v1 = StateFixtures.tag("app", "v1", digest(1), stamp(10, EAST));
    TagRecord sameValueLaterStamp = StateFixtures.tag("app", "v1", digest(1), stamp(10, WEST));
    assertThat(digestOf(List.of(v1), List.of(), List.of())).isNotEqualTo(digestOf(List.of(sameValueLaterStamp), List.of(), List.of()));
  }

  @Test
  void aTombstoneDiffersFromNoRegisterAtAll() {
    TagRecord tombstone = StateFixtures.tagDeleted("app", "v1", stamp(10, EAST));
    assertThat(digestOf(List.of(tombstone), List.of(), List.of())).isNotEqualTo(digestOf(List.of(), List.of(), List.of()));
  }

  @Test
  void aDeletedManifestsPlaceholderMetadataDoesNotCountOnlyItsPresenceAndStamp() {
    ManifestRecord put = StateFixtures.manifest("app", digest(1), stamp(10, EAST));
    ManifestRecord deletedAfterPut = put.deletedAt(stamp(11, EAST));
    ManifestRecord deletedBeforePut = new ManifestRecord(repo("app"), digest(1), dev.meridian.core.oci.MediaType.OCI_MANIFEST, 0,
        List.of(), Optional.empty(), Optional.empty(), Map.of(), false, stamp(11, EAST));
    assertThat(digestOf(List.of(), List.of(deletedAfterPut), List.of()))
        .isEqualTo(digestOf(List.of(), List.of(deletedBeforePut), List.of()))
        .isNotEqualTo(digestOf(List.of(), List.of(put), List.of()));
  }

  @Test
  void anEmptyRepositoryHasTheZeroDigest() {
    assertThat(digestOf(List.of(), List.of(), List.of())).isEqualTo("0".repeat(64));
  }

  private static String digestOf(List<TagRecord> tags, List<ManifestRecord> manifests, List<BlobLinkRecord> links) {
    return RegisterDigest.of(new RepositoryRegisters(repo("app"), tags, manifests, links));
  }

  /** The winning registers of one repository, as a store would list them. */
  static RepositoryRegisters registersOf(RegisterModel model, RepositoryName repository) {
    List<TagRecord> tags = new ArrayList<>();
    List<ManifestRecord> manifests = new ArrayList<>();
    List<BlobLinkRecord> links = new ArrayList<>();
    for (Object winner : model.winners().values()) {
      if (winner instanceof TagRecord t && t.repository().equals(repository)) tags.add(t);
      if (winner instanceof ManifestRecord m && m.repository().equals(repository)) manifests.add(m);
      if (winner instanceof BlobLinkRecord l && l.repository().equals(repository)) links.add(l);
    }
    return new RepositoryRegisters(repository, tags, manifests, links);
  }

  /** What the merge decides on, register by register: the definition of "equal registers". */
  private static Set<List<Object>> mergeFacts(RepositoryRegisters registers) {
    Set<List<Object>> facts = new HashSet<>();
    registers.tags().forEach(t -> facts.add(List.of("tag", t.tag(), t.digest(), t.stamp())));
    registers.manifests().forEach(m -> facts.add(List.of("manifest", m.digest(), m.present(), m.stamp())));
    registers.blobLinks().forEach(l -> facts.add(List.of("link", l.digest(), l.linked(), l.stamp())));
    return facts;
  }

  private static List<Object> withoutOne(List<Object> writes, Random random) {
    List<Object> fewer = new ArrayList<>(writes);
    fewer.remove(random.nextInt(fewer.size()));
    return fewer;
  }

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }
}
