package dev.meridian.core.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Short constructors for state records in tests. */
public final class StateFixtures {
  public static final RegionId ASIA = new RegionId("asia");
  public static final RegionId EAST = new RegionId("eastus");
  public static final RegionId WEST = new RegionId("westeu");

  private StateFixtures() {}

  public static RepositoryName repo(String name) {
    return new RepositoryName(name);
  }

  /** A distinct, valid digest per number. */
  public static Digest digest(int n) {
    return Digest.sha256Of(("content-" + n).getBytes(UTF_8));
  }

  public static Stamp stamp(long millis, int logical, RegionId origin) {
    return new Stamp(new HlcTimestamp(millis, logical), origin);
  }

  public static Stamp stamp(long millis, RegionId origin) {
    return stamp(millis, 0, origin);
  }

  public static TagRecord tag(String repository, String tag, Digest digest, Stamp stamp) {
    return new TagRecord(repo(repository), new Tag(tag), Optional.of(digest), stamp);
  }

  public static TagRecord tagDeleted(String repository, String tag, Stamp stamp) {
    return new TagRecord(repo(repository), new Tag(tag), Optional.empty(), stamp);
  }

  /** An image manifest with one config and one layer, optionally referring to a subject. */
  public static ManifestRecord manifest(String repository, Digest digest, Optional<Digest> subject, boolean present, Stamp stamp) {
    return new ManifestRecord(
        repo(repository),
        digest,
        MediaType.OCI_MANIFEST,
        512,
        List.of(Descriptor.of(MediaType.OCI_CONFIG, digest(9001), 2), Descriptor.of(MediaType.OCTET_STREAM, digest(9002), 1024)),
        subject.map(s -> Descriptor.of(MediaType.OCI_MANIFEST, s, 700)),
        subject.map(s -> "application/vnd.example.sbom"),
        subject.isPresent() ? Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z") : Map.of(),
        present,
        stamp);
  }

  public static ManifestRecord manifest(String repository, Digest digest, Stamp stamp) {
    return manifest(repository, digest, Optional.empty(), true, stamp);
  }

  public static BlobLinkRecord link(String repository, Digest digest, boolean linked, Stamp stamp) {
    return new BlobLinkRecord(repo(repository), digest, linked, stamp);
  }

  public static StateBatch batch(Object... records) {
    StateBatch.Builder builder = StateBatch.builder();
    for (Object r : records) {
      if (r instanceof TagRecord t) builder.putTag(t);
      else if (r instanceof ManifestRecord m) builder.putManifest(m);
      else if (r instanceof BlobLinkRecord l) builder.putBlobLink(l);
      else if (r instanceof StateWrite w) builder.add(w);
      else throw new IllegalArgumentException("not a state record: " + r);
    }
    return builder.build();
  }
}
