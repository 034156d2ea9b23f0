package dev.meridian.agent.it.support;

import dev.meridian.core.digest.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * An image manifest {@link OciLayoutWriter} wrote: its exact bytes and the digests of everything it references.
 * {@code diffIds} are the digests of the uncompressed layers, in layer order.
 */
public record WrittenImage(
    Digest manifestDigest,
    byte[] manifestBytes,
    Digest configDigest,
    List<Digest> layerDigests,
    List<Digest> diffIds,
    Platform platform) {
  public WrittenImage {
    layerDigests = List.copyOf(layerDigests);
    diffIds = List.copyOf(diffIds);
    manifestBytes = manifestBytes.clone();
  }

  /** The config then the layers: every blob a registry must hold for this image. */
  public List<Digest> blobDigests() {
    var all = new ArrayList<Digest>();
    all.add(configDigest);
    all.addAll(layerDigests);
    return List.copyOf(all);
  }
}
