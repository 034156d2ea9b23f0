package dev.meridian.chaos;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one region served when the checker looked: each tag and the digest its HEAD answered, which manifests
 * answer a HEAD by digest, the referrers of each, and the problems found while verifying content.
 *
 * @param incomplete one line per manifest served whose content is not all there or does not hash right
 */
public record RegionView(
    String region, Map<TagKey, Digest> tags, Set<ManifestKey> manifests,
    Map<ManifestKey, List<Digest>> referrers, List<String> incomplete) {
  /** A tag in a repository. */
  public record TagKey(String repository, String tag) {
    public TagKey {
      requireNonNull(repository, "repository");
      requireNonNull(tag, "tag");
    }

    @Override
    public String toString() {
      return repository + ":" + tag;
    }
  }

  /** A manifest in a repository. */
  public record ManifestKey(String repository, Digest digest) {
    public ManifestKey {
      requireNonNull(repository, "repository");
      requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
      return repository + "@" + digest;
    }
  }

  public RegionView {
    requireNonNull(region, "region");
    tags = Map.copyOf(tags);
    manifests = Set.copyOf(manifests);
    referrers = Map.copyOf(referrers);
    incomplete = List.copyOf(incomplete);
  }
}
