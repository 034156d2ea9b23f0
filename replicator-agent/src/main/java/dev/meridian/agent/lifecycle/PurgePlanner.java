package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.TagRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides what a purge or a retention run deletes in one repository. Pure: the repository's registers come in,
 * the deletes go out; times are the registers' HLC wall times, the same in every region.
 *
 * <p>Tags matching the tag filter, last moved before the cutoff, beyond the {@code keep} most recently moved
 * ones, are selected. A manifest all of whose tags are selected is deleted (with them); one that keeps another
 * tag loses only the selected ones. With {@code untagged}, a manifest with no tag, pushed before its cutoff, is
 * deleted too, unless a present index of the repository lists it or it refers to a present manifest (a
 * signature or SBOM of a kept image).
 */
public final class PurgePlanner {
  /** A repository's live tags and present manifests. */
  public record RepositoryView(RepositoryName repository, List<TagRecord> tags, List<ManifestRecord> manifests) {
    public RepositoryView {
      requireNonNull(repository, "repository");
      tags = List.copyOf(tags);
      manifests = List.copyOf(manifests);
    }
  }

  private PurgePlanner() {}

  /**
   * @param tagFilter which tags are purge candidates (never matches: untagged manifests only)
   * @param tagCutoff a selected tag must have been moved before this
   * @param untaggedCutoff when present, untagged manifests pushed before this are deleted
   */
  public static List<PurgeAction> plan(RepositoryView view, Predicate<String> tagFilter, Instant tagCutoff, int keep,
      Optional<Instant> untaggedCutoff) {
    if (keep < 0) throw new IllegalArgumentException("keep < 0: " + keep);
    List<TagRecord> live = view.tags().stream().filter(t -> t.digest().isPresent()).toList();
    List<TagRecord> matching = live.stream().filter(t -> tagFilter.test(t.tag().value()))
        .sorted(Comparator.comparing(TagRecord::stamp).reversed()).toList();
    Set<Tag> selected = new LinkedHashSet<>();
    for (TagRecord t : matching.subList(Math.min(keep, matching.size()), matching.size())) {
      long millis = t.stamp().hlc().physicalMillis();
      if (millis > 0 && time(millis).isBefore(tagCutoff)) selected.add(t.tag());
    }
    List<PurgeAction> actions = new ArrayList<>();
    Set<Digest> deletedManifests = new HashSet<>();
    for (TagRecord t : live) {
      if (!selected.contains(t.tag())) continue;
      Digest digest = t.digest().get();
      boolean keepsAnotherTag = live.stream().anyMatch(o -> o.digest().get().equals(digest) && !selected.contains(o.tag()));
      Instant updated = time(t.stamp().hlc().physicalMillis());
      if (keepsAnotherTag) {
        actions.add(new PurgeAction(PurgeAction.Kind.TAG, view.repository(), new Reference.TagReference(t.tag()), digest, updated));
      } else if (deletedManifests.add(digest)) {
        actions.add(new PurgeAction(PurgeAction.Kind.MANIFEST, view.repository(), new Reference.DigestReference(digest),
            digest, updated));
      }
    }
    if (untaggedCutoff.isPresent()) actions.addAll(untagged(view, live, untaggedCutoff.get()));
    return actions;
  }

  private static List<PurgeAction> untagged(RepositoryView view, List<TagRecord> live, Instant cutoff) {
    Set<Digest> tagged = new HashSet<>();
    live.forEach(t -> tagged.add(t.digest().get()));
    Set<Digest> present = new HashSet<>();
    Set<Digest> listed = new HashSet<>();
    for (ManifestRecord m : view.manifests()) {
      present.add(m.digest());
      m.references().stream().map(Descriptor::digest).forEach(listed::add);
    }
    List<PurgeAction> actions = new ArrayList<>();
    for (ManifestRecord m : view.manifests()) {
      if (tagged.contains(m.digest()) || listed.contains(m.digest())) continue;
      // Learned by read-through (HLC 0): its real push is still on its way here; never judge its age by that.
      if (m.stamp().hlc().physicalMillis() == 0) continue;
      if (m.subject().map(Descriptor::digest).filter(present::contains).isPresent()) continue;
      Instant pushed = time(m.stamp().hlc().physicalMillis());
      if (!pushed.isBefore(cutoff)) continue;
      actions.add(new PurgeAction(PurgeAction.Kind.UNTAGGED, view.repository(), new Reference.DigestReference(m.digest()),
          m.digest(), pushed));
    }
    return actions;
  }

  private static Instant time(long millis) {
    return Instant.ofEpochMilli(millis);
  }
}
