package dev.meridian.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.chaos.RegionView.ManifestKey;
import dev.meridian.chaos.RegionView.TagKey;
import dev.meridian.chaos.Write.Kind;
import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {
  private static final Digest A = digest("a");
  private static final Digest B = digest("b");
  private static final TagKey LATEST = new TagKey("team/app", "latest");

  @Test
  void identicalCompleteViewsHaveNoDivergence() {
    var east = view("east", Map.of(LATEST, A), Set.of(key(A)), List.of());
    var west = view("west", Map.of(LATEST, A), Set.of(key(A)), List.of());

    assertThat(ConvergenceChecker.divergences(List.of(east, west))).isEmpty();
  }

  @Test
  void aTagServingAnotherDigestInOneRegionIsADivergence() {
    var east = view("east", Map.of(LATEST, A), Set.of(key(A), key(B)), List.of());
    var west = view("west", Map.of(LATEST, B), Set.of(key(A), key(B)), List.of());

    assertThat(ConvergenceChecker.divergences(List.of(east, west))).singleElement().asString().contains("tags differ");
  }

  @Test
  void aManifestMissingInOneRegionOrIncompleteAnywhereIsADivergence() {
    var east = view("east", Map.of(), Set.of(key(A)), List.of());
    var west = view("west", Map.of(), Set.of(), List.of());
    var south = view("south", Map.of(), Set.of(key(A)), List.of("team/app@" + A + ": blob x is missing"));

    assertThat(ConvergenceChecker.divergences(List.of(east, west))).singleElement().asString().contains("manifests differ");
    assertThat(ConvergenceChecker.divergences(List.of(east, south))).singleElement().asString().contains("incomplete");
  }

  @Test
  void differentReferrersOfOneManifestAreADivergence() {
    var east = new RegionView("east", Map.of(), Set.of(key(A)), Map.of(key(A), List.of(B)), List.of());
    var west = new RegionView("west", Map.of(), Set.of(key(A)), Map.of(key(A), List.of()), List.of());

    assertThat(ConvergenceChecker.divergences(List.of(east, west))).singleElement().asString().contains("referrers");
  }

  @Test
  void theLaterOfTwoSequentialTagPutsMustWin() {
    var first = tagPut("east", A, 0, 10);
    var second = tagPut("west", B, 20, 30);

    var keptLater = view("east", Map.of(LATEST, B), Set.of(key(A), key(B)), List.of());
    var keptEarlier = view("east", Map.of(LATEST, A), Set.of(key(A), key(B)), List.of());

    assertThat(ConvergenceChecker.violations(keptLater, List.of(first, second))).isEmpty();
    assertThat(ConvergenceChecker.violations(keptEarlier, List.of(first, second)))
        .singleElement().asString().startsWith("lost: TAG_PUT team/app:latest@" + B);
  }

  @Test
  void eitherOfTwoOverlappingTagPutsMayWin() {
    var first = tagPut("east", A, 0, 25);
    var second = tagPut("west", B, 20, 30); // sent before the first was acknowledged: concurrent

    for (Digest winner : List.of(A, B)) {
      var converged = view("east", Map.of(LATEST, winner), Set.of(key(A), key(B)), List.of());
      assertThat(ConvergenceChecker.violations(converged, List.of(first, second))).isEmpty();
    }
  }

  @Test
  void aWriteWithoutAnswerNeverCountsAsLostButMayWin() {
    var acked = tagPut("east", A, 0, 10);
    var unanswered = new Write("west", Kind.TAG_PUT, "team/app", Optional.of("latest"), Optional.of(B),
        at(20), Optional.empty());

    var converged = view("east", Map.of(LATEST, B), Set.of(key(A), key(B)), List.of());

    assertThat(ConvergenceChecker.violations(converged, List.of(acked, unanswered))).isEmpty();
  }

  @Test
  void anAcknowledgedTagDeleteThatIsUndoneIsLost() {
    var put = tagPut("east", A, 0, 10);
    var delete = new Write("west", Kind.TAG_DELETE, "team/app", Optional.of("latest"), Optional.empty(),
        at(20), Optional.of(at(30)));

    var resurrected = view("east", Map.of(LATEST, A), Set.of(key(A)), List.of());

    assertThat(ConvergenceChecker.violations(resurrected, List.of(put, delete)))
        .singleElement().asString().startsWith("lost: TAG_DELETE");
  }

  @Test
  void aManifestDeletedLastMustNotBeServedAndOnePutLastMustBe() {
    var put = tagPut("east", A, 0, 10);
    var delete = new Write("west", Kind.MANIFEST_DELETE, "team/app", Optional.empty(), Optional.of(A),
        at(20), Optional.of(at(30)));

    var stillServed = view("east", Map.of(), Set.of(key(A)), List.of());
    var gone = view("east", Map.of(), Set.of(), List.of());

    assertThat(ConvergenceChecker.violations(stillServed, List.of(put, delete)))
        .singleElement().asString().contains("is still served");
    assertThat(ConvergenceChecker.violations(gone, List.of(put, delete))).isEmpty();
    assertThat(ConvergenceChecker.violations(gone, List.of(put)))
        .anySatisfy(line -> assertThat(line).contains("is not served"));
  }

  @Test
  void aLaterDeleteOfAManifestNeverUnderTheTagDoesNotExcuseALostTagPut() {
    var put = tagPut("east", A, 0, 10);
    var unrelatedDelete = new Write("west", Kind.MANIFEST_DELETE, "team/app", Optional.empty(), Optional.of(B),
        at(20), Optional.of(at(30)));
    var relatedDelete = new Write("west", Kind.MANIFEST_DELETE, "team/app", Optional.empty(), Optional.of(A),
        at(20), Optional.of(at(30)));

    var tagGone = view("east", Map.of(), Set.of(key(A)), List.of());

    assertThat(ConvergenceChecker.violations(tagGone, List.of(put, unrelatedDelete)))
        .singleElement().asString().startsWith("lost: TAG_PUT");
    assertThat(ConvergenceChecker.violations(view("east", Map.of(), Set.of(), List.of()), List.of(put, relatedDelete)))
        .isEmpty();
  }

  @Test
  void aTagServingADigestNobodyPutThereIsAPhantom() {
    var put = tagPut("east", A, 0, 10);
    var converged = view("east", Map.of(LATEST, A, new TagKey("team/app", "other"), A), Set.of(key(A)), List.of());

    assertThat(ConvergenceChecker.violations(converged, List.of(put)))
        .singleElement().asString().startsWith("phantom: team/app:other");
  }

  private static Write tagPut(String region, Digest digest, long sentMillis, long ackedMillis) {
    return new Write(region, Kind.TAG_PUT, "team/app", Optional.of("latest"), Optional.of(digest),
        at(sentMillis), Optional.of(at(ackedMillis)));
  }

  private static RegionView view(String region, Map<TagKey, Digest> tags, Set<ManifestKey> manifests, List<String> incomplete) {
    return new RegionView(region, tags, manifests, Map.of(), incomplete);
  }

  private static ManifestKey key(Digest digest) {
    return new ManifestKey("team/app", digest);
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(1_800_000_000_000L + millis);
  }

  private static Digest digest(String text) {
    return Digest.sha256Of(text.getBytes(StandardCharsets.UTF_8));
  }
}
