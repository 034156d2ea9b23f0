package dev.meridian.agent.lifecycle;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.PrefetchedBlob;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The mark phase of garbage collection: every digest this region must keep, read from its state without a
 * lock. Kept are the manifests registered present in any repository (served or still pending here) with all
 * they reference, manifests deleted recently enough to be restored (soft delete), the content of every
 * transfer job, and blobs prefetched or linked into a repository within
 * the grace period (an upload or mount whose manifest is still to come).
 */
final class LiveContent {
  private static final int PAGE = 10_000;

  private LiveContent() {}

  /**
   * @param linkedSince a blob link written at or after this (by its HLC wall time) keeps its blob
   * @param restorable whether a deleted manifest register may still be restored, so keeps its content
   */
  static Set<Digest> mark(RegistryState state, Instant linkedSince, Predicate<ManifestRecord> restorable) {
    Set<Digest> live = new HashSet<>();
    state.forEachManifest(m -> {
      if (!m.present() && !restorable.test(m)) return;
      live.add(m.digest());
      for (Descriptor d : m.references()) live.add(d.digest());
      m.subject().map(Descriptor::digest).ifPresent(live::add);
    });
    Optional<TransferJob> after = Optional.empty();
    while (true) {
      List<TransferJob> jobs = state.listTransfers(after, PAGE);
      jobs.forEach(j -> live.add(j.digest()));
      if (jobs.size() < PAGE) break;
      after = Optional.of(jobs.get(jobs.size() - 1));
    }
    // A blob copied ahead of its manifest waits for it like an uploaded one: for the grace period. The list is
    // bounded by what a region copies ahead within one grace period of the prefetch sweeper.
    state.listPrefetched(Integer.MAX_VALUE).stream().filter(p -> !p.fetchedAt().isBefore(linkedSince))
        .map(PrefetchedBlob::digest).forEach(live::add);
    long since = linkedSince.toEpochMilli();
    state.forEachBlobLink(link -> {
      if (link.linked() && link.stamp().hlc().physicalMillis() >= since) live.add(link.digest());
    });
    return live;
  }
}
