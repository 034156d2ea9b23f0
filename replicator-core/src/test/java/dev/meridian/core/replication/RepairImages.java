package dev.meridian.core.replication;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small images with real bytes for the repair tests: a config, one layer, the manifest over them. */
record RepairImages(byte[] config, byte[] layer, byte[] manifest) {
  static RepairImages image(String seed) {
    byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(UTF_8);
    byte[] layer = ("layer of " + seed).getBytes(UTF_8);
    String manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
        .formatted(Digest.sha256Of(config), config.length, Digest.sha256Of(layer), layer.length);
    return new RepairImages(config, layer, manifest.getBytes(UTF_8));
  }

  Digest digest() {
    return Digest.sha256Of(manifest);
  }

  Digest layerDigest() {
    return Digest.sha256Of(layer);
  }

  List<Descriptor> references() {
    return List.of(Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256Of(config), config.length),
        Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar"), layerDigest(), layer.length));
  }

  void storeIn(BlobStore blobs) {
    for (byte[] bytes : List.of(config, layer, manifest)) blobs.put(Digest.sha256Of(bytes), new ByteArrayInputStream(bytes));
  }

  ManifestPut put(RegionId origin, long millis, RepositoryName repository) {
    return new ManifestPut("m-" + millis, origin, new HlcTimestamp(millis, 0), repository, digest(), MediaType.OCI_MANIFEST,
        manifest.length, references(), Optional.empty(), Optional.empty(), Map.of());
  }

  /** An index over {@code children}, stored in {@code blobs}, as a put event. */
  static ManifestPut indexPut(List<RepairImages> children, RegionId origin, long millis, RepositoryName repository, BlobStore blobs) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
    for (int i = 0; i < children.size(); i++) {
      if (i > 0) json.append(',');
      json.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
          .append(children.get(i).digest()).append("\",\"size\":").append(children.get(i).manifest().length).append('}');
    }
    byte[] bytes = json.append("]}").toString().getBytes(UTF_8);
    blobs.put(Digest.sha256Of(bytes), new ByteArrayInputStream(bytes));
    List<Descriptor> refs = children.stream().map(c -> Descriptor.of(MediaType.OCI_MANIFEST, c.digest(), c.manifest().length)).toList();
    return new ManifestPut("i-" + millis, origin, new HlcTimestamp(millis, 0), repository, Digest.sha256Of(bytes),
        MediaType.OCI_INDEX, bytes.length, refs, Optional.empty(), Optional.empty(), Map.of());
  }
}
