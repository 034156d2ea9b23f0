package dev.meridian.core.oci;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;

/** The {@code <reference>} of a manifest URL: a tag or a digest. */
public sealed interface Reference permits Reference.TagReference, Reference.DigestReference {

  /** A digest if the text contains a colon (tags cannot), else a tag. */
  static Reference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "empty reference");
    }
    if (text.indexOf(':') >= 0) return new DigestReference(Digest.parse(text));
    return new TagReference(new Tag(text));
  }

  /** A reference by tag. */
  record TagReference(Tag tag) implements Reference {
    @Override
    public String toString() {
      return tag.value();
    }
  }

  /** A reference by digest. */
  record DigestReference(Digest digest) implements Reference {
    @Override
    public String toString() {
      return digest.toString();
    }
  }
}
