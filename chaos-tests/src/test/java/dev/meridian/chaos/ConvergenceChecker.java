package dev.meridian.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.chaos.RegionView.ManifestKey;
import dev.meridian.chaos.RegionView.TagKey;
import dev.meridian.chaos.Write.Kind;
import dev.meridian.core.digest.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides whether a fleet has converged after the faults stopped, and whether it kept every acknowledged
 * write. The two pure functions do the judging on {@link RegionView}s; {@link #awaitConverged} polls the live
 * fleet until they agree.
 *
 * <p><b>Converged</b> means every region serves the same tags (same digest on HEAD), the same manifests
 * (among those the workload ever wrote), the same referrers of each, and every manifest it serves is complete:
 * each referenced blob GETs and hashes to its digest.
 *
 * <p><b>Lost</b>, exactly. A register (a tag, or one manifest's presence) has competing writes: for a tag, the
 * puts and deletes of that tag and the deletes of every manifest ever put under it (which may tombstone it); for a
 * manifest, the puts of its digest (by tag or by digest) and its deletes. An acknowledged write W is the
 * <i>sure winner</i> of its register when every other competing write was acknowledged before W was sent
 * (comparing wall-clock milliseconds). Then W's HLC is the highest, because all processes of the fleet share
 * this machine's clock: a write's HLC is at least the wall time when it was committed and at most the wall
 * time when it was acknowledged. W is <b>lost</b> when it is the sure winner of its register and the converged
 * state disagrees with it: a tag put whose tag does not serve its digest, a tag delete whose tag is still
 * served, a manifest put whose manifest is not served, a manifest delete whose manifest still is. A write
 * whose winner is not sure (concurrent writes, an answer that never came) is not judged: either outcome is
 * legitimate. Manifest deletes are not judged on tags (which tags they tombstone depends on what their region
 * knew). Separately, a <b>phantom</b> is a served tag whose digest no write ever put there.
 */
public final class ConvergenceChecker {
  private ConvergenceChecker() {}

  /** How the regions differ, one line each; empty when they serve the same, completely. */
  public static List<String> divergences(List<RegionView> views) {
    var problems = new ArrayList<String>();
    if (views.isEmpty()) return problems;
    RegionView first = views.get(0);
    for (RegionView view : views) {
      view.incomplete().forEach(line -> problems.add(view.region() + ": incomplete " + line));
      if (view == first) continue;
      if (!view.tags().equals(first.tags())) {
        var keys = new HashSet<TagKey>(first.tags().keySet());
        keys.addAll(view.tags().keySet());
        keys.removeIf(k -> Objects.equals(first.tags().get(k), view.tags().get(k)));
        problems.add("tags differ between " + first.region() + " and " + view.region() + ": " + keys.stream().limit(5)
            .map(k -> k + " " + first.tags().get(k) + " vs " + view.tags().get(k)).toList());
      }
      if (!view.manifests().equals(first.manifests())) {
        problems.add("manifests differ: " + first.region() + " " + first.manifests().size() + " vs " + view.region()
            + " " + view.manifests().size() + ", only in " + first.region() + ": " + minus(first, view)
            + ", only in " + view.region() + ": " + minus(view, first));
      }
      for (ManifestKey key : first.manifests()) {
        var mine = new TreeSet<>(first.referrers().getOrDefault(key, List.of()));
        var theirs = new TreeSet<>(view.referrers().getOrDefault(key, List.of()));
        if (view.manifests().contains(key) && !mine.equals(theirs)) {
          problems.add("referrers of " + key + " differ: " + first.region() + " " + mine + " vs " + view.region() + " " + theirs);
        }
      }
    }
    return problems;
  }

  /** The lost acknowledged writes and the phantom tags in a converged view, one line each. */
  public static List<String> violations(RegionView converged, List<Write> history) {
    var problems = new ArrayList<String>();
    for (Write w : history) {
      if (w.acked().isEmpty()) continue;
      switch (w.kind()) {
        case TAG_PUT -> {
          TagKey tag = new TagKey(w.repository(), w.tag().orElseThrow());
          Optional<Digest> served = Optional.ofNullable(converged.tags().get(tag));
          if (isSureWinner(w, history, competesForTag(tag, history)) && !served.equals(w.digest())) {
            problems.add("lost: " + w + "; " + tag + " serves " + served.map(Digest::toString).orElse("nothing")
                + "; all writes to it: " + history.stream().filter(competesForTag(tag, history)).toList());
          }
          checkManifest(w, converged, history, problems);
        }
        case TAG_DELETE -> {
          TagKey tag = new TagKey(w.repository(), w.tag().orElseThrow());
          if (isSureWinner(w, history, competesForTag(tag, history)) && converged.tags().containsKey(tag)) {
            problems.add("lost: " + w + "; " + tag + " still serves " + converged.tags().get(tag));
          }
        }
        case MANIFEST_PUT, MANIFEST_DELETE -> checkManifest(w, converged, history, problems);
      }
    }
    converged.tags().forEach((tag, digest) -> {
      boolean written = history.stream().anyMatch(w -> w.kind() == Kind.TAG_PUT
          && competesForTag(tag, history).test(w) && w.digest().orElseThrow().equals(digest));
      if (!written) problems.add("phantom: " + tag + " serves " + digest + ", which no write put there");
    });
    return problems;
  }

  /** Polls until every region serves the same, completely; then asserts that no acknowledged write was lost. */
  public static void awaitConverged(Supplier<List<RegionView>> observe, List<Write> history, Duration timeout) {
    var last = new ArrayList<RegionView>();
    await("the fleet converges").atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> {
          List<RegionView> views = observe.get();
          last.clear();
          last.addAll(views);
          assertThat(divergences(views)).as("divergences").isEmpty();
        });
    assertThat(violations(last.get(0), history)).as("lost or phantom writes").isEmpty();
  }

  private static void checkManifest(Write w, RegionView converged, List<Write> history, List<String> problems) {
    var key = new ManifestKey(w.repository(), w.digest().orElseThrow());
    if (!isSureWinner(w, history, competesForManifest(key))) return;
    boolean served = converged.manifests().contains(key);
    boolean wanted = w.kind() != Kind.MANIFEST_DELETE;
    if (served != wanted) {
      problems.add("lost: " + w + "; " + key + (served ? " is still served" : " is not served")
          + "; all writes to it: " + history.stream().filter(competesForManifest(key)).toList());
    }
  }

  private static boolean isSureWinner(Write w, List<Write> history, Predicate<Write> competes) {
    return w.acked().isPresent() && history.stream()
        .filter(other -> other != w && competes.test(other))
        .allMatch(other -> other.ackedBefore(w));
  }

  /** Puts and deletes of the tag, and deletes of any manifest some write put under the tag. */
  private static Predicate<Write> competesForTag(TagKey tag, List<Write> history) {
    var everUnderTag = new HashSet<Digest>();
    for (Write w : history) {
      if (w.kind() == Kind.TAG_PUT && w.repository().equals(tag.repository()) && w.tag().orElseThrow().equals(tag.tag())) {
        everUnderTag.add(w.digest().orElseThrow());
      }
    }
    return w -> w.repository().equals(tag.repository())
        && (w.kind() == Kind.MANIFEST_DELETE ? everUnderTag.contains(w.digest().orElseThrow())
            : w.tag().filter(tag.tag()::equals).isPresent());
  }

  private static Predicate<Write> competesForManifest(ManifestKey key) {
    return w -> w.repository().equals(key.repository()) && w.kind() != Kind.TAG_DELETE
        && Objects.equals(w.digest().orElseThrow(), key.digest());
  }

  private static List<ManifestKey> minus(RegionView a, RegionView b) {
    var only = new HashSet<>(a.manifests());
    only.removeAll(b.manifests());
    return only.stream().limit(5).toList();
  }
}
