package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.it.support.AgentProcess;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Podman;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.core.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * podman, a second real client, pulls what skopeo pushed and pushes it again under another name.
 *
 * <p>podman recompresses layers on push, so compressed layer digests and the manifest digest change; the
 * uncompressed layers (the config's diff_ids), the platform and the layer count must not.
 */
class PodmanPushPullIT {
  @RegisterExtension final Agents agents = new Agents();

  @Test
  void podmanPullsRepushesAndPullsBackTheSameFilesystemLayers() throws IOException {
    AgentProcess agent = agents.start("eu-west");
    var skopeo = new Skopeo(agent.hostPort());
    var layout = new OciLayoutWriter(agents.scratch("source"));
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64,
        List.of(LayerSpec.gzip(11, 512 * 1024), LayerSpec.plain(12, 4096), LayerSpec.gzip(13, 70_000)));
    skopeo.copy(Skopeo.oci(layout.root(), "v1"), skopeo.ref("team-a/app:v1"), false);
    try (var podman = new Podman(agents.scratch("podman"))) {
      pullRepushPullBack(agent, skopeo, v1, podman);
    }
  }

  private void pullRepushPullBack(AgentProcess agent, Skopeo skopeo, WrittenImage v1, Podman podman)
      throws IOException {
    String original = agent.hostPort() + "/team-a/app:v1";
    String copy = agent.hostPort() + "/team-b/copy:v1";

    podman.pull(original);
    JsonNode pulled = podman.inspectImage(original);
    assertThat(pulled.path("Id").asText()).isEqualTo(v1.configDigest().hex());
    assertThat(pulled.path("Digest").asText()).isEqualTo(v1.manifestDigest().toString());
    assertThat(OciLayoutWriterIT.texts(pulled.path("RootFS").path("Layers")))
        .containsExactlyElementsOf(OciLayoutWriterIT.strings(v1.diffIds()));

    podman.push(original, "docker://" + copy);

    Path repushed = agents.scratch("repushed");
    skopeo.copy(skopeo.ref("team-b/copy:v1"), Skopeo.oci(repushed, "v1"), false);
    var repushedLayout = new OciLayout(repushed);
    assertThat(repushedLayout.claimedToActualDigests())
        .allSatisfy((claimed, actual) -> assertThat(actual).as("bytes of blob %s", claimed).isEqualTo(claimed));
    JsonNode manifest = repushedLayout.blobJson(repushedLayout.digestOf("v1"));
    assertThat(uncompressedDigests(repushedLayout, manifest.path("layers"))).containsExactlyElementsOf(v1.diffIds());
    JsonNode config = repushedLayout.blobJson(Digest.parse(manifest.path("config").path("digest").asText()));
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(OciLayoutWriterIT.texts(config.path("rootfs").path("diff_ids")))
        .containsExactlyElementsOf(OciLayoutWriterIT.strings(v1.diffIds()));

    podman.removeImage(original);
    podman.pull(copy);
    assertThat(OciLayoutWriterIT.texts(podman.inspectImage(copy).path("RootFS").path("Layers")))
        .containsExactlyElementsOf(OciLayoutWriterIT.strings(v1.diffIds()));
  }

  /** The sha256 of each layer after undoing its compression, which is what diff_ids name. */
  private static List<Digest> uncompressedDigests(OciLayout layout, JsonNode layers) throws IOException {
    var digests = new ArrayList<Digest>();
    for (JsonNode layer : layers) {
      byte[] blob = layout.blob(Digest.parse(layer.path("digest").asText()));
      String mediaType = layer.path("mediaType").asText();
      if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
          digests.add(Digest.sha256Of(in.readAllBytes()));
        }
      } else {
        assertThat(mediaType).as("a layer podman pushed").endsWith(".tar");
        digests.add(Digest.sha256Of(blob));
      }
    }
    return digests;
  }
}
