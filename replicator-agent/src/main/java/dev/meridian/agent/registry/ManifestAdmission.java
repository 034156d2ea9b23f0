package dev.meridian.agent.registry;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;

/** Decides whether a validated manifest push may be stored (quotas); refuses with a {@code RegistryException}. */
@FunctionalInterface
public interface ManifestAdmission {
  ManifestAdmission ALL = (repository, digest, size, references) -> {};

  void admit(RepositoryName repository, Digest digest, long size, List<Descriptor> references);
}
