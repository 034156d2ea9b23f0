package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A write this region acknowledged whose event has not reached the log yet: what the fleet would lose if the
 * region were lost now. {@code tag} is set for tag writes, {@code digest} for every write that names one.
 *
 * @param type the event's wire name, e.g. {@code tag.put}
 * @param hlc the write's HLC, {@code millis.logical}
 */
public record UnshippedWrite(String type, String repository, Optional<String> tag, Optional<String> digest, String hlc) {
  public UnshippedWrite {
    requireNonNull(type, "type");
    requireNonNull(repository, "repository");
    requireNonNull(tag, "tag");
    requireNonNull(digest, "digest");
    requireNonNull(hlc, "hlc");
    if (tag.isEmpty() && digest.isEmpty()) throw new IllegalArgumentException("a write names a tag or a digest: " + type);
  }
}
