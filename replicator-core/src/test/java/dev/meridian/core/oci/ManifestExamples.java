package dev.meridian.core.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Realistic manifests of the four formats, and small edits of them, shared by the parser's tests. */
final class ManifestExamples {
  static final String CONFIG_DIGEST = "sha256:b79606fb3afea5bd1609ed40b622142f1c98125abcfe89a76a661b0e8e343910";
  static final String LAYER1_DIGEST = "sha256:2804bad6fe94a55f18b2b37e300919a5fd517b95aa81e95db574c0ba069a3740";
  static final String LAYER2_DIGEST = "sha256:8a1cee436cbac1489a1883c9d886fcfc46f302c55ed4106ae31729e4f4eb9041";
  static final String AMD64_DIGEST = "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51";
  static final String ARM64_DIGEST = "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265";
  static final String SUBJECT_DIGEST = "sha256:a9491f4c1bf7b0cffbadcba2db8f028e4b3f2867cb59e1f3a0bc1968f3c51242";
  /** sha256 of {@code {}}, the empty config every OCI artifact without a config points at. */
  static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  static final String SBOM_DIGEST = "sha256:2e1cfa82b035c26cbbbdae632cea070514eb8b773f616aaeaf668e2f0be8f10d";

  static final String DOCKER_MANIFEST = """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "%s"
         },
         "layers": [
            {
               "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
               "size": 32654,
               "digest": "%s"
            },
            {
               "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
               "size": 16724,
               "digest": "%s"
            }
         ]
      }""".formatted(CONFIG_DIGEST, LAYER1_DIGEST, LAYER2_DIGEST);

  static final String OCI_MANIFEST = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
          "mediaType": "application/vnd.oci.image.config.v1+json",
          "digest": "%s",
          "size": 1470
        },
        "layers": [
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": "%s",
            "size": 3623807,
            "annotations": {"org.opencontainers.image.title": "rootfs.tar.gz"},
            "urls": ["https://example.com/rootfs.tar.gz"]
          }
        ],
        "annotations": {
          "org.opencontainers.image.created": "2024-05-01T10:00:00Z",
          "org.opencontainers.image.source": "https://github.com/example/app"
        }
      }""".formatted(CONFIG_DIGEST, LAYER1_DIGEST);

  static final String OCI_INDEX = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1022,
            "platform": {"architecture": "amd64", "os": "linux"}
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "%s",
            "size": 1022,
            "platform": {"architecture": "arm64", "os": "linux", "variant": "v8", "os.features": ["sse4"]}
          }
        ],
        "annotations": {"org.opencontainers.image.ref.name": "1.0"}
      }""".formatted(AMD64_DIGEST, ARM64_DIGEST);

  static final String DOCKER_MANIFEST_LIST = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
        "manifests": [
          {
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "size": 7143,
            "digest": "%s",
            "platform": {"architecture": "amd64", "os": "linux"}
          },
          {
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "size": 7682,
            "digest": "%s",
            "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}
          }
        ]
      }""".formatted(AMD64_DIGEST, ARM64_DIGEST);

  /** An SBOM attached to an image: empty config, artifactType and subject, as oras attach pushes it. */
  static final String OCI_ARTIFACT = """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/spdx+json",
        "config": {
          "mediaType": "application/vnd.oci.empty.v1+json",
          "digest": "%s",
          "size": 2,
          "data": "e30="
        },
        "layers": [
          {
            "mediaType": "application/spdx+json",
            "digest": "%s",
            "size": 54193,
            "annotations": {"org.opencontainers.image.title": "sbom.spdx.json"}
          }
        ],
        "subject": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "%s",
          "size": 1022
        },
        "annotations": {"org.opencontainers.image.created": "2024-05-01T10:00:00Z"}
      }""".formatted(EMPTY_DIGEST, SBOM_DIGEST, SUBJECT_DIGEST);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestExamples() {}

  static ManifestBytes bytes(String json, MediaType mediaType) {
    return new ManifestBytes(json.getBytes(StandardCharsets.UTF_8), mediaType);
  }

  static ObjectNode tree(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The JSON with the field or element at a JSON pointer removed, e.g. {@code /layers/0/digest}. */
  static String without(String json, String pointer) {
    ObjectNode root = tree(json);
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ArrayNode array) array.remove(Integer.parseInt(last));
    else ((ObjectNode) parent).remove(last);
    return json(root);
  }

  /** The JSON with the value at a JSON pointer replaced (or added). */
  static String with(String json, String pointer, JsonNode value) {
    ObjectNode root = tree(json);
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ArrayNode array) array.set(Integer.parseInt(last), value);
    else ((ObjectNode) parent).set(last, value);
    return json(root);
  }
}
