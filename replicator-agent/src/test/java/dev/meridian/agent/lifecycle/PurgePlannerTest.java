package dev.meridian.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.lifecycle.PurgeAction.Kind;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.TagRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PurgePlannerTest {
  private static final RepositoryName APP = new RepositoryName("team/app");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final RegionId EAST = new RegionId("eastus");

  private static Digest d(String name) {
    return Digest.sha256Of(name.getBytes(StandardCharsets.UTF_8));
  }

  private static Stamp daysAgo(int days) {
    return new Stamp(new HlcTimestamp(NOW.minus(Duration.ofDays(days)).toEpochMilli(), 0), EAST);
  }

  private static TagRecord tag(String name, String image, int daysAgo) {
    return new TagRecord(APP, new Tag(name), Optional.of(d(image)), daysAgo(daysAgo));
  }

  private static ManifestRecord manifest(String image, Stamp stamp, List<String> children, Optional<String> subject) {
    return new ManifestRecord(APP, d(image), MediaType.OCI_MANIFEST, 100,
        children.stream().map(c -> Descriptor.of(MediaType.OCI_MANIFEST, d(c), 100)).toList(),
        subject.map(s -> Descriptor.of(MediaType.OCI_MANIFEST, d(s), 100)), Optional.empty(), Map.of(), true, stamp);
  }

  private static ManifestRecord manifest(String image, int daysAgo) {
    return manifest(image, daysAgo(daysAgo), List.of(), Optional.empty());
  }

  @Test
  void oldMatchingTagsGoBeyondTheKeptMostRecentOnesWithTheirManifests() {
    var view = new PurgePlanner.RepositoryView(APP,
        List.of(tag("v1", "one", 40), tag("v2", "two", 35), tag("v3", "three", 31), tag("v4", "four", 1), tag("main", "one", 50)),
        List.of(manifest("one", 40), manifest("two", 35), manifest("three", 31), manifest("four", 1)));

    List<PurgeAction> actions = PurgePlanner.plan(view, t -> t.startsWith("v"), NOW.minus(Duration.ofDays(30)), 2, Optional.empty());

    // v4 and v3 are the two most recent: kept. v2 goes with its manifest; v1's manifest keeps its tag "main".
    assertThat(actions).extracting(PurgeAction::kind, a -> a.reference().toString())
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Kind.MANIFEST, d("two").toString()),
            org.assertj.core.groups.Tuple.tuple(Kind.TAG, "v1"));
  }

  @Test
  void untaggedManifestsGoExceptIndexChildrenReferrersOfKeptImagesAndRecentOrProvisionalOnes() {
    var view = new PurgePlanner.RepositoryView(APP, List.of(tag("latest", "index", 1)), List.of(
        manifest("index", daysAgo(1), List.of("child"), Optional.empty()),
        manifest("child", 10),
        manifest("signature", daysAgo(10), List.of(), Optional.of("index")),
        manifest("orphan", 10),
        manifest("fresh", 0),
        manifest("read-through", new Stamp(HlcTimestamp.ZERO, EAST), List.of(), Optional.empty())));

    List<PurgeAction> actions = PurgePlanner.plan(view, t -> false, Instant.MIN, 0, Optional.of(NOW.minus(Duration.ofDays(7))));

    assertThat(actions).extracting(PurgeAction::digest).containsExactly(d("orphan"));
    assertThat(actions.get(0).kind()).isEqualTo(Kind.UNTAGGED);
  }

  @Test
  void aRetentionOfZeroDaysTakesEveryUntaggedManifestAtOnce() {
    var view = new PurgePlanner.RepositoryView(APP, List.of(tag("latest", "current", 0)),
        List.of(manifest("current", 0), manifest("previous", 0)));

    assertThat(PurgePlanner.plan(view, t -> false, Instant.MIN, 0, Optional.of(NOW.plusSeconds(1))))
        .extracting(PurgeAction::digest).containsExactly(d("previous"));
  }

  @Test
  void theFirstMatchingRetentionRuleWinsOverTheRegistryDefault() {
    var policy = new RetentionPolicy(Optional.of(30), List.of(RetentionPolicy.Rule.parse("team/.*=7"),
        RetentionPolicy.Rule.parse("team/app=1")));

    assertThat(policy.untaggedFor("team/app")).contains(Duration.ofDays(7));
    assertThat(policy.untaggedFor("other")).contains(Duration.ofDays(30));
    assertThat(RetentionPolicy.OFF.untaggedFor("team/app")).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionPolicy.Rule.parse("x=366"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
