package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;

/**
 * The content a manifest register accounts for: the manifest's own digest and size, whether it is present, and the
 * digest and size of each descriptor it references (its subject is a manifest of its own, with its own register). A
 * scan that needs only this, like storage usage over a million registers, reads it without decoding the rest of
 * each register: media types, annotations, artifact types, platforms and the stamp.
 */
public record ManifestContent(
    RepositoryName repository, Digest digest, long size, boolean present, List<Reference> references) {
  public ManifestContent {
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    if (size < 0) throw new IllegalArgumentException("size < 0");
    references = List.copyOf(references);
  }

  /** A referenced descriptor's digest and size. */
  public record Reference(Digest digest, long size) {
    public Reference {
      requireNonNull(digest, "digest");
      if (size < 0) throw new IllegalArgumentException("size < 0");
    }
  }

  /** The content of a register read whole. */
  public static ManifestContent of(ManifestRecord manifest) {
    List<Reference> references = new ArrayList<>(manifest.references().size());
    for (Descriptor d : manifest.references()) references.add(new Reference(d.digest(), d.size()));
    return new ManifestContent(manifest.repository(), manifest.digest(), manifest.size(), manifest.present(), references);
  }
}
