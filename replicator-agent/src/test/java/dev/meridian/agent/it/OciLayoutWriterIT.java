package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.it.support.CommandLineTool;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Podman;
import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.it.support.WrittenIndex;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written OCI layouts are valid for the real tools, before any registry is involved. */
class OciLayoutWriterIT {
  @TempDir Path dir;

  @Test
  void umociUnpacksEveryLayerToTheSeededBytes() throws IOException {
    var writer = new OciLayoutWriter(dir.resolve("layout"));
    writer.image("v1", Platform.LINUX_AMD64,
        List.of(LayerSpec.gzip(1, 100_000), LayerSpec.plain(2, 3_000), LayerSpec.gzip(3, 0)));

    CommandLineTool.run(Duration.ofMinutes(2),
        List.of("umoci", "unpack", "--image", dir.resolve("layout") + ":v1", dir.resolve("bundle").toString()));

    Path rootfs = dir.resolve("bundle/rootfs");
    assertThat(Files.readAllBytes(rootfs.resolve("seed-1.bin"))).isEqualTo(SeededBytes.of(1, 100_000));
    assertThat(Files.readAllBytes(rootfs.resolve("seed-2.bin"))).isEqualTo(SeededBytes.of(2, 3_000));
    assertThat(rootfs.resolve("seed-3.bin")).isEmptyFile();
  }

  @Test
  void skopeoSeesTheTagsDigestsAndSharedLayers() {
    var writer = new OciLayoutWriter(dir);
    WrittenImage v1 = writer.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1, 50_000), LayerSpec.gzip(2, 1)));
    WrittenImage v2 = writer.image("v2", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1, 50_000), LayerSpec.gzip(4, 9)));
    WrittenIndex multi = writer.index("multi", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        List.of(LayerSpec.gzip(1, 50_000)));
    var skopeo = new Skopeo("unused:0");

    JsonNode inspected = skopeo.inspect(Skopeo.oci(dir, "v1"));
    assertThat(inspected.path("Digest").asText()).isEqualTo(v1.manifestDigest().toString());
    assertThat(texts(inspected.path("Layers"))).containsExactlyElementsOf(strings(v1.layerDigests()));
    assertThat(v2.layerDigests().get(0)).isEqualTo(v1.layerDigests().get(0));
    assertThat(v2.layerDigests().get(1)).isNotEqualTo(v1.layerDigests().get(1));
    assertThat(skopeo.inspectRaw(Skopeo.oci(dir, "multi"))).isEqualTo(multi.bytes());
    assertThat(multi.manifests()).extracting(WrittenImage::platform)
        .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
  }

  @Test
  void skopeoCopiesAllPlatformsBetweenLayoutsKeepingEveryDigest() {
    var writer = new OciLayoutWriter(dir.resolve("a"));
    WrittenIndex multi = writer.index("multi", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        List.of(LayerSpec.gzip(7, 20_000)));

    new Skopeo("unused:0").copy(Skopeo.oci(dir.resolve("a"), "multi"), Skopeo.oci(dir.resolve("b"), "multi"), true);

    var copy = new OciLayout(dir.resolve("b"));
    assertThat(copy.digestOf("multi")).isEqualTo(multi.digest());
    var expected = new ArrayList<Digest>();
    expected.add(multi.digest());
    for (WrittenImage image : multi.manifests()) {
      expected.add(image.manifestDigest());
      expected.addAll(image.blobDigests());
    }
    assertThat(copy.claimedToActualDigests()).containsOnlyKeys(expected)
        .allSatisfy((claimed, actual) -> assertThat(actual).isEqualTo(claimed));
  }

  @Test
  void podmanAcceptsTheDiffIdsOfTheConfig() {
    var writer = new OciLayoutWriter(dir.resolve("layout"));
    WrittenImage v1 = writer.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(1, 10_000), LayerSpec.plain(2, 10)));
    try (var podman = new Podman(dir.resolve("podman"))) {
      podman.pull("oci:" + dir.resolve("layout") + ":v1");

      JsonNode image = podman.inspectImage(v1.configDigest().hex());
      assertThat(texts(image.path("RootFS").path("Layers"))).containsExactlyElementsOf(strings(v1.diffIds()));
    }
  }

  static List<String> texts(JsonNode array) {
    var result = new ArrayList<String>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  static List<String> strings(List<Digest> digests) {
    return digests.stream().map(Digest::toString).toList();
  }
}
