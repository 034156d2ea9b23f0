package dev.meridian.core.oci;

import static dev.meridian.core.oci.ManifestExamples.OCI_MANIFEST;
import static dev.meridian.core.oci.ManifestExamples.bytes;
import static dev.meridian.core.oci.ManifestExamples.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.core.oci.Manifest.ImageManifest;
import org.junit.jupiter.api.Test;

/** Layers over 2 GiB and 4 GiB are common (ML models): a descriptor size is a long, never narrowed. */
class LargeDescriptorSizeTest {
  @Test
  void layerSizesBeyondTwoAndFourGibibytesAreKeptExactly() {
    long fiveGigabytes = 5_000_000_000L;
    long justOverIntRange = (1L << 31) + 1;
    String json = with(with(OCI_MANIFEST, "/layers/0/size", JsonNodeFactory.instance.numberNode(fiveGigabytes)),
        "/config/size", JsonNodeFactory.instance.numberNode(justOverIntRange));

    var manifest = (ImageManifest) ManifestParser.parse(bytes(json, MediaType.OCI_MANIFEST));

    assertThat(manifest.layers().get(0).size()).isEqualTo(fiveGigabytes);
    assertThat(manifest.config().size()).isEqualTo(justOverIntRange);
  }
}
