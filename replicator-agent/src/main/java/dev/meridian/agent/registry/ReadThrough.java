package dev.meridian.agent.registry;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;

/**
 * Pulls of content this region does not serve yet, answered from a peer that does: each method tries, within a
 * bounded time, to make the content servable here, and says whether it now is. Callers ask the
 * {@link RegistryService} again afterwards, so everything served still goes through its checks
 * (complete-before-visible: a manifest is served only once all its content is here).
 *
 * <p>Blocks: never call it on an event loop.
 */
public interface ReadThrough {
  /** A region without peers: nothing is ever fetched. */
  ReadThrough NONE = new ReadThrough() {
    @Override
    public boolean manifest(RepositoryName repository, Reference reference) {
      return false;
    }

    @Override
    public boolean blob(RepositoryName repository, Digest digest) {
      return false;
    }

    @Override
    public boolean references(RepositoryName repository, List<Descriptor> references) {
      return false;
    }
  };

  boolean manifest(RepositoryName repository, Reference reference);

  boolean blob(RepositoryName repository, Digest digest);

  /**
   * A manifest's references this region lacks, for a PUT of it: fetches them all at once, each as what its descriptor
   * says it is (a manifest as a whole image, complete before it is served; anything else as a blob of the size the
   * descriptor gives), and says whether every one is here now. Fetches nothing when there are more than an
   * implementation bounds, and waits no longer than one pull does.
   */
  boolean references(RepositoryName repository, List<Descriptor> references);
}
