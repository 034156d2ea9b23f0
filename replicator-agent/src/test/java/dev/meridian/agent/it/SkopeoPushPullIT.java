package dev.meridian.agent.it;

import dev.meridian.agent.it.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.it.support.AgentProcess;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.it.support.WrittenIndex;
import dev.meridian.core.digest.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** skopeo, a real OCI client, pushes to and pulls from one agent; every digest survives the round trip. */
class SkopeoPushPullIT {
  private static final String REPO = "team-a/app";
  private static final List<LayerSpec> THREE_LAYERS =
      List.of(LayerSpec.gzip(1, 1 << 20), LayerSpec.gzip(2, 300_000), LayerSpec.plain(3, 64 * 1024));

  @RegisterExtension final Agents agents = new Agents();

  private AgentProcess agent;
  private Skopeo skopeo;
  private OciLayoutWriter layout;

  @BeforeEach
  void startAgent() {
    agent = agents.start("eu-west");
    skopeo = new Skopeo(agent.hostPort());
    layout = new OciLayoutWriter(agents.scratch("source"));
  }

  @Test
  void imageWithSeveralLayersPullsBackWithEveryDigestUnchanged() {
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, THREE_LAYERS);

    skopeo.copy(Skopeo.oci(layout.root(), "v1"), skopeo.ref(REPO + ":v1"), false);

    byte[] served = skopeo.inspectRaw(skopeo.ref(REPO + ":v1"));
    assertThat(served).isEqualTo(v1.manifestBytes());
    assertThat(Digest.sha256Of(served)).isEqualTo(v1.manifestDigest());
    Path pulled = agents.scratch("pulled");
    skopeo.copy(skopeo.ref(REPO + ":v1"), Skopeo.oci(pulled, "v1"), false);
    assertThat(new OciLayout(pulled).digestOf("v1")).isEqualTo(v1.manifestDigest());
    assertHoldsExactlyUncorrupted(pulled, with(v1.manifestDigest(), v1.blobDigests()));
  }

  @Test
  void secondTagSharingALayerIsListedAndResolvesToItsOwnManifest() {
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, THREE_LAYERS);
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(THREE_LAYERS.get(0), LayerSpec.gzip(9, 5000)));
    assertThat(v2.layerDigests()).contains(v1.layerDigests().get(0));

    skopeo.copy(Skopeo.oci(layout.root(), "v1"), skopeo.ref(REPO + ":v1"), false);
    skopeo.copy(Skopeo.oci(layout.root(), "v2"), skopeo.ref(REPO + ":v2"), false);

    assertThat(skopeo.listTags(REPO)).containsExactlyInAnyOrder("v1", "v2");
    assertThat(Digest.sha256Of(skopeo.inspectRaw(skopeo.ref(REPO + ":v1")))).isEqualTo(v1.manifestDigest());
    assertThat(Digest.sha256Of(skopeo.inspectRaw(skopeo.ref(REPO + ":v2")))).isEqualTo(v2.manifestDigest());
    Path pulled = agents.scratch("pulled");
    skopeo.copy(skopeo.ref(REPO + ":v2"), Skopeo.oci(pulled, "v2"), false);
    assertHoldsExactlyUncorrupted(pulled, with(v2.manifestDigest(), v2.blobDigests()));
  }

  @Test
  void multiPlatformIndexPullsBackWithEveryChildManifestAndBlob() {
    WrittenIndex multi = layout.index("multi", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64), THREE_LAYERS);

    skopeo.copy(Skopeo.oci(layout.root(), "multi"), skopeo.ref(REPO + ":multi"), true);

    assertThat(skopeo.inspectRaw(skopeo.ref(REPO + ":multi"))).isEqualTo(multi.bytes());
    var expected = new ArrayList<Digest>(List.of(multi.digest()));
    for (WrittenImage child : multi.manifests()) {
      assertThat(skopeo.inspectRaw(skopeo.ref(REPO + "@" + child.manifestDigest()))).isEqualTo(child.manifestBytes());
      expected.addAll(with(child.manifestDigest(), child.blobDigests()));
    }
    Path pulled = agents.scratch("pulled");
    skopeo.copy(skopeo.ref(REPO + ":multi"), Skopeo.oci(pulled, "multi"), true);
    assertThat(new OciLayout(pulled).digestOf("multi")).isEqualTo(multi.digest());
    assertHoldsExactlyUncorrupted(pulled, expected);
  }

  @Test
  void deleteByDigestMakesTheManifestUnknownAndKeepsOtherTags() {
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, THREE_LAYERS);
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(9, 5000)));
    skopeo.copy(Skopeo.oci(layout.root(), "v1"), skopeo.ref(REPO + ":v1"), false);
    skopeo.copy(Skopeo.oci(layout.root(), "v2"), skopeo.ref(REPO + ":v2"), false);

    skopeo.delete(skopeo.ref(REPO + "@" + v1.manifestDigest()));

    var http = RegistryHttp.of(agent);
    var byDigest = http.get("/v2/" + REPO + "/manifests/" + v1.manifestDigest(),
        "Accept", "application/vnd.oci.image.manifest.v1+json");
    assertThat(byDigest.statusCode()).as(RegistryHttp.describe(byDigest)).isEqualTo(404);
    assertThat(RegistryHttp.errorCodes(byDigest)).containsExactly("MANIFEST_UNKNOWN");
    assertThat(skopeo.tryRun("inspect", "--raw", "--tls-verify=false", "--creds", TestCredentials.creds(), skopeo.ref(REPO + ":v1")).exitCode())
        .as("the deleted manifest's tag no longer resolves").isNotZero();
    assertThat(Digest.sha256Of(skopeo.inspectRaw(skopeo.ref(REPO + ":v2")))).isEqualTo(v2.manifestDigest());
  }

  private static List<Digest> with(Digest manifest, List<Digest> blobs) {
    var all = new ArrayList<Digest>(List.of(manifest));
    all.addAll(blobs);
    return all;
  }

  private static void assertHoldsExactlyUncorrupted(Path pulled, List<Digest> expected) {
    assertThat(new OciLayout(pulled).claimedToActualDigests())
        .containsOnlyKeys(expected)
        .allSatisfy((claimed, actual) -> assertThat(actual).as("bytes of blob %s", claimed).isEqualTo(claimed));
  }
}
