package dev.meridian.core.replication;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Complete-before-visible after a blob is lost (the scrubber quarantined it): the writes that make every
 * present manifest whose content includes it pending again, with a MANIFEST transfer job, as replay does for a
 * manifest whose content is not here. The transfer worker fetches what is missing and completes them.
 *
 * <p>"Includes" is transitive: a manifest referencing the blob, an index referencing such a manifest, and so
 * on, in every repository (the blob store is shared). The manifest registers are scanned once per level of
 * nesting (in practice two or three scans), not indexed: quarantines are rare. Writes nothing itself.
 */
public final class QuarantinePlanner {
  private final RegistryState state;
  private final Clock clock;

  public QuarantinePlanner(RegistryState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  /** The job writes, and the manifests they make pending. */
  public record Plan(List<StateWrite> writes, List<ManifestRecord> pending) {
    public Plan {
      writes = List.copyOf(writes);
      pending = List.copyOf(pending);
    }
  }

  /** The jobs that mark pending every present manifest relying on {@code lost}; none for one pending already. */
  public Plan plan(Digest lost) {
    Set<Digest> missing = new HashSet<>(Set.of(lost));
    Map<List<Object>, ManifestRecord> affected = new LinkedHashMap<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      List<ManifestRecord> found = new ArrayList<>();
      state.forEachManifest(m -> {
        if (m.present() && !affected.containsKey(key(m)) && reliesOn(m, missing)) found.add(m);
      });
      for (ManifestRecord m : found) {
        affected.put(key(m), m);
        grew |= missing.add(m.digest());
      }
    }
    List<StateWrite> writes = new ArrayList<>();
    List<ManifestRecord> pending = new ArrayList<>();
    for (ManifestRecord m : affected.values()) {
      if (state.findTransfer(m.repository(), m.digest(), TransferJob.Kind.MANIFEST).isPresent()) continue;
      writes.add(new StateWrite.PutTransfer(new TransferJob(m.repository(), m.digest(), TransferJob.Kind.MANIFEST,
          m.stamp().origin(), m.size(), clock.instant())));
      pending.add(m);
    }
    return new Plan(writes, pending);
  }

  /** Its own bytes or a reference (blob or child manifest); a subject is not content (see {@link ContentClosure}). */
  private static boolean reliesOn(ManifestRecord m, Set<Digest> missing) {
    if (missing.contains(m.digest())) return true;
    for (Descriptor d : m.references()) if (missing.contains(d.digest())) return true;
    return false;
  }

  private static List<Object> key(ManifestRecord m) {
    return List.<Object>of(m.repository(), m.digest());
  }
}
