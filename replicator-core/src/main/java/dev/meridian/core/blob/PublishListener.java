package dev.meridian.core.blob;

import dev.meridian.core.digest.Digest;
import java.time.Instant;

/**
 * Told when a blob store has published a file it verified against its digest (a committed upload, a put), with
 * the size and modification time the file had then: a verdict someone may reuse instead of hashing the file again.
 *
 * <p>Not told when a put or commit found the digest stored already (that file's bytes were not hashed now). Called
 * on the publishing thread after the rename is durable; must be quick and must not throw.
 */
@FunctionalInterface
public interface PublishListener {
  PublishListener NONE = (digest, size, modified) -> {};

  void published(Digest digest, long size, Instant modified);
}
