package dev.meridian.agent.repair;

import dev.meridian.core.digest.Digest;
import java.util.List;

/** Told what the scrubber does (metrics, the audit log). Called on the scrubber's thread; must be quick. */
public interface ScrubListener {
  ScrubListener NONE = new ScrubListener() {};

  /** A blob was read and hashed, {@code bytes} long. */
  default void scrubbed(long bytes) {}

  /** A blob failed its digest and was quarantined; these manifests ({@code repository@digest}) wait for it again. */
  default void quarantined(Digest digest, long size, List<String> pendingManifests) {}

  /** Calls every listener in turn. */
  static ScrubListener all(ScrubListener... listeners) {
    return new ScrubListener() {
      @Override
      public void scrubbed(long bytes) {
        for (ScrubListener l : listeners) l.scrubbed(bytes);
      }

      @Override
      public void quarantined(Digest digest, long size, List<String> pendingManifests) {
        for (ScrubListener l : listeners) l.quarantined(digest, size, pendingManifests);
      }
    };
  }
}
