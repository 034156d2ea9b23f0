package dev.meridian.agent.it.support;

import dev.meridian.core.digest.Digest;
import java.util.List;

/** An image index {@link OciLayoutWriter} wrote, over one image manifest per platform. */
public record WrittenIndex(Digest digest, byte[] bytes, List<WrittenImage> manifests) {
  public WrittenIndex {
    manifests = List.copyOf(manifests);
    bytes = bytes.clone();
  }
}
