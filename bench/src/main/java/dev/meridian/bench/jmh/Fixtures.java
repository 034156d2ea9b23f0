package dev.meridian.bench.jmh;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typical values for the microbenchmarks: a three-layer image's manifest.put and a tag.put. */
final class Fixtures {
  static final RegionId ORIGIN = new RegionId("westeurope");
  static final RepositoryName REPOSITORY = new RepositoryName("team-a/service/app");

  private Fixtures() {}

  static Digest digest(String seed) {
    return Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8));
  }

  static ManifestPut manifestPut(int i) {
    var references = List.of(
        Descriptor.of(MediaType.OCI_CONFIG, digest("config" + i), 1_234),
        Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), digest("base"), 31_000_000),
        Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), digest("deps"), 12_000_000),
        Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), digest("app" + i), 800_000));
    return new ManifestPut("ev-" + i, ORIGIN, new HlcTimestamp(1_732_700_000_000L + i, 0), REPOSITORY,
        digest("manifest" + i), MediaType.OCI_MANIFEST, 1_024, references, Optional.empty(), Optional.empty(), Map.of());
  }

  static TagPut tagPut(int i) {
    return new TagPut("tag-" + i, ORIGIN, new HlcTimestamp(1_732_700_000_000L + i, 1), REPOSITORY,
        new Tag("v" + i), digest("manifest" + i));
  }
}
