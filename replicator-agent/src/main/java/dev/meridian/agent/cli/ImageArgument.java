package dev.meridian.agent.cli;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;

/**
 * An image named on the command line, {@code REPO:TAG} or {@code REPO@DIGEST} (the registry is given
 * separately). The tag is what follows the last colon after the last slash, so {@code team/app:v1} is
 * {@code team/app} and {@code v1}.
 */
record ImageArgument(RepositoryName repository, Reference reference) {
  ImageArgument {
    requireNonNull(repository, "repository");
    requireNonNull(reference, "reference");
  }

  /** Parses; {@link IllegalArgumentException} with a message fit for the user. */
  static ImageArgument parse(String text) {
    String repository;
    String reference;
    int at = text.indexOf('@');
    if (at >= 0) {
      repository = text.substring(0, at);
      reference = text.substring(at + 1);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0 || colon < text.lastIndexOf('/')) {
        throw new IllegalArgumentException("'" + text + "' names no tag or digest: use REPO:TAG or REPO@DIGEST");
      }
      repository = text.substring(0, colon);
      reference = text.substring(colon + 1);
    }
    if (at >= 0 && !reference.contains(":")) {
      throw new IllegalArgumentException("'" + reference + "' is not a digest (ALGORITHM:HEX) in '" + text + "'");
    }
    try {
      return new ImageArgument(new RepositoryName(repository), Reference.parse(reference));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not an image reference: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return repository.value() + (reference instanceof Reference.DigestReference ? "@" : ":") + reference;
  }
}
