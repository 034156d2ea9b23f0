package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.blob.BlobFixtures;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small, valid OCI images and indexes with random content, for transfer tests. */
final class TestImages {
  private TestImages() {}

  /** A manifest's bytes and every piece of content it needs, manifests included, by digest. */
  record Image(Digest digest, MediaType mediaType, byte[] manifest, Map<Digest, byte[]> blobs, Map<Digest, byte[]> manifests) {
    long size() {
      return manifest.length;
    }

    void serveFrom(FaultyPeer peer) {
      manifests.values().forEach(peer::addManifest);
      blobs.values().forEach(peer::addBlob);
    }
  }

  /** An image manifest with a config and one layer of {@code layerSize} random bytes. */
  static Image image(long seed, int layerSize) {
    return image(seed, seed, layerSize);
  }

  /** An image whose layer is made from {@code layerSeed}: images with the same layer seed share the layer. */
  static Image image(long configSeed, long layerSeed, int layerSize) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + configSeed + "}").getBytes(UTF_8);
    byte[] layer = BlobFixtures.randomBytes(layerSize, layerSeed);
    byte[] manifest = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
        .formatted(Digest.sha256Of(config), config.length, Digest.sha256Of(layer), layer.length).getBytes(UTF_8);
    Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    blobs.put(Digest.sha256Of(config), config);
    blobs.put(Digest.sha256Of(layer), layer);
    Digest digest = Digest.sha256Of(manifest);
    return new Image(digest, MediaType.OCI_MANIFEST, manifest, blobs, Map.of(digest, manifest));
  }

  /** An index over {@code children}, for two platforms. */
  static Image index(List<Image> children) {
    StringBuilder entries = new StringBuilder();
    Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    Map<Digest, byte[]> manifests = new LinkedHashMap<>();
    String[] architectures = {"amd64", "arm64", "s390x", "ppc64le"};
    for (int i = 0; i < children.size(); i++) {
      Image child = children.get(i);
      if (i > 0) entries.append(',');
      entries.append("""
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,\
          "platform":{"architecture":"%s","os":"linux"}}""".formatted(child.digest(), child.size(), architectures[i]));
      blobs.putAll(child.blobs());
      manifests.putAll(child.manifests());
    }
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + entries + "]}").getBytes(UTF_8);
    Digest digest = Digest.sha256Of(index);
    manifests.put(digest, index);
    return new Image(digest, MediaType.OCI_INDEX, index, blobs, manifests);
  }
}
