package dev.meridian.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.StateFixtures;
import dev.meridian.core.state.TransferJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Replay is idempotent and order-free: any sequence of events from other regions, delivered to two
 * regions in different random orders and with duplicates, leaves both with the same registers, the same
 * pending transfers and the same replica sets.
 */
class ReplayPropertiesTest {
  private static final List<RepositoryName> REPOS = List.of(new RepositoryName("app"), new RepositoryName("team/web"));
  private static final List<Tag> TAGS = List.of(new Tag("v1"), new Tag("latest"));
  private static final List<RegionId> ORIGINS = List.of(new RegionId("eastus"), new RegionId("westeu"), new RegionId("asia"));
  private static final List<Digest> DIGESTS = List.of(StateFixtures.digest(1), StateFixtures.digest(2), StateFixtures.digest(3));

  @Provide
  Arbitrary<List<ReplicationEvent>> events() {
    return event().list().ofMinSize(1).ofMaxSize(30).map(ReplayPropertiesTest::uniqueStamps);
  }

  @Property(tries = 40)
  void regionsFedTheSameEventsInAnyOrderWithDuplicatesAgree(
      @ForAll("events") List<ReplicationEvent> events, @ForAll Random random) {
    Map<String, String> first;
    Map<String, String> second;
    try (var a = new ReplicaFixture(new RegionId("self"))) {
      deliver(a, events, random);
      first = snapshot(a);
    }
    try (var b = new ReplicaFixture(new RegionId("self"))) {
      deliver(b, events, random);
      second = snapshot(b);
    }
    assertThat(second).isEqualTo(first);
  }

  @Property(tries = 40)
  void replayingWholePollsAgreesWithReplayingOneEventAtATime(
      @ForAll("events") List<ReplicationEvent> events, @ForAll Random random) {
    List<ReplicationEvent> delivery = new ArrayList<>(events);
    for (ReplicationEvent e : events) if (random.nextInt(3) == 0) delivery.add(e);
    Collections.shuffle(delivery, random);
    Map<String, String> oneByOne;
    Map<String, String> polled;
    try (var a = new ReplicaFixture(new RegionId("self"))) {
      delivery.forEach(a::replay);
      oneByOne = snapshot(a);
    }
    try (var b = new ReplicaFixture(new RegionId("self"))) {
      for (int from = 0; from < delivery.size(); ) {
        int to = Math.min(delivery.size(), from + 1 + random.nextInt(8));
        b.replayPoll(delivery.subList(from, to));
        from = to;
      }
      polled = snapshot(b);
    }
    assertThat(polled).isEqualTo(oneByOne);
  }

  private static void deliver(ReplicaFixture region, List<ReplicationEvent> events, Random random) {
    List<ReplicationEvent> delivery = new ArrayList<>(events);
    for (ReplicationEvent e : events) if (random.nextInt(3) == 0) delivery.add(e); // duplicates
    Collections.shuffle(delivery, random);
    delivery.forEach(region::replay);
  }

  /** Everything replicated state decides, as text: registers with their stamps, jobs, replicas, visibility. */
  private static Map<String, String> snapshot(ReplicaFixture r) {
    Map<String, String> view = new TreeMap<>();
    for (RepositoryName repo : REPOS) {
      for (Tag tag : TAGS) {
        r.state.findTag(repo, tag).ifPresent(t -> view.put("tag " + repo + ":" + tag, t.digest() + " @" + t.stamp()));
      }
      for (Digest d : DIGESTS) {
        String at = repo + "@" + d;
        r.state.findManifest(repo, d).ifPresent(m -> view.put("manifest " + at, m.present() + " @" + m.stamp()));
        r.state.findBlobLink(repo, d).ifPresent(l -> view.put("link " + at, l.linked() + " @" + l.stamp()));
        for (TransferJob.Kind kind : TransferJob.Kind.values()) {
          r.state.findTransfer(repo, d, kind).ifPresent(j -> view.put("job " + kind + " " + at, "from " + j.origin()));
        }
        view.put("replicas " + at, r.state.findReplicas(repo, d).toString());
        view.put("served " + at, String.valueOf(r.visibility.servedManifest(repo, d).isPresent()));
      }
    }
    return view;
  }

  private static Arbitrary<ReplicationEvent> event() {
    Arbitrary<RepositoryName> repo = Arbitraries.of(REPOS);
    Arbitrary<Tag> tag = Arbitraries.of(TAGS);
    Arbitrary<RegionId> origin = Arbitraries.of(ORIGINS);
    Arbitrary<Digest> digest = Arbitraries.of(DIGESTS);
    Arbitrary<HlcTimestamp> hlc = Arbitraries.longs().between(1, 4).map(ms -> new HlcTimestamp(ms, 0));
    return Arbitraries.oneOf(
        Combinators.combine(origin, hlc, repo, tag, digest).as((o, h, r, t, d) -> new TagPut("id", o, h, r, t, d)),
        Combinators.combine(origin, hlc, repo, tag).as((o, h, r, t) -> new TagDelete("id", o, h, r, t)),
        Combinators.combine(origin, hlc, repo, digest).as((o, h, r, d) -> new ManifestPut("id", o, h, r, d,
            MediaType.OCI_MANIFEST, 100, List.of(), Optional.empty(), Optional.empty(), Map.of())),
        Combinators.combine(origin, hlc, repo, digest).as((o, h, r, d) -> new ManifestDelete("id", o, h, r, d)),
        Combinators.combine(origin, hlc, repo, digest).as((o, h, r, d) -> new BlobPut("id", o, h, r, d, 10)),
        Combinators.combine(origin, hlc, repo, digest).as((o, h, r, d) -> new BlobUnlink("id", o, h, r, d)),
        Combinators.combine(origin, hlc, repo, digest, origin).as((o, h, r, d, region) -> new ReplicaAck("id", o, h, r, d, region)));
  }

  /**
   * One region never issues the same HLC reading twice, so every event gets a distinct logical counter;
   * ties across regions (same millis and counter) still occur through the origin order.
   */
  private static List<ReplicationEvent> uniqueStamps(List<ReplicationEvent> events) {
    List<ReplicationEvent> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) out.add(withLogical(events.get(i), i, "e" + i));
    return out;
  }

  private static ReplicationEvent withLogical(ReplicationEvent e, int logical, String id) {
    HlcTimestamp h = new HlcTimestamp(e.hlc().physicalMillis(), logical);
    if (e instanceof TagPut t) return new TagPut(id, t.origin(), h, t.repository(), t.tag(), t.digest());
    if (e instanceof TagDelete t) return new TagDelete(id, t.origin(), h, t.repository(), t.tag());
    if (e instanceof ManifestPut m) return new ManifestPut(id, m.origin(), h, m.repository(), m.digest(), m.mediaType(),
        m.size(), m.references(), m.subject(), m.artifactType(), m.annotations());
    if (e instanceof ManifestDelete m) return new ManifestDelete(id, m.origin(), h, m.repository(), m.digest());
    if (e instanceof BlobPut b) return new BlobPut(id, b.origin(), h, b.repository(), b.digest(), b.size());
    if (e instanceof BlobUnlink b) return new BlobUnlink(id, b.origin(), h, b.repository(), b.digest());
    ReplicaAck a = (ReplicaAck) e;
    return new ReplicaAck(id, a.origin(), h, a.repository(), a.digest(), a.region());
  }
}
