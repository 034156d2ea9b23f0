package dev.meridian.agent.drill;

import dev.meridian.agent.admin.UnshippedWrite;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The image references a list of unshipped writes touches, as an operator reads them: {@code repo:tag} for a
 * tag written or deleted, {@code repo@digest} for a manifest pushed or deleted by digest. A push by tag is one
 * reference (its manifest is folded into the tag that names it); blob uploads and unlinks name no image.
 * Pure; order of first appearance.
 */
public final class RpoReferences {
  private RpoReferences() {}

  public static List<String> of(List<UnshippedWrite> writes) {
    Set<String> taggedDigests = new LinkedHashSet<>();
    for (UnshippedWrite w : writes) {
      if (w.type().equals("tag.put")) w.digest().ifPresent(d -> taggedDigests.add(w.repository() + "@" + d));
    }
    Set<String> references = new LinkedHashSet<>();
    for (UnshippedWrite w : writes) {
      switch (w.type()) {
        case "tag.put", "tag.delete" -> w.tag().ifPresent(t -> references.add(w.repository() + ":" + t));
        case "manifest.put", "manifest.delete" -> w.digest().map(d -> w.repository() + "@" + d)
            .filter(r -> !(w.type().equals("manifest.put") && taggedDigests.contains(r)))
            .ifPresent(references::add);
        default -> { } // blob.put, blob.unlink: bytes, not an image
      }
    }
    return List.copyOf(references);
  }

  /** Writes in {@code later} that are not in {@code earlier} (the same write keeps its HLC). */
  public static List<UnshippedWrite> since(List<UnshippedWrite> earlier, List<UnshippedWrite> later) {
    Set<UnshippedWrite> seen = Set.copyOf(earlier);
    return later.stream().filter(w -> !seen.contains(w)).toList();
  }
}
