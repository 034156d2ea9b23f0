package dev.meridian.core.oci;

import static dev.meridian.core.oci.ManifestExamples.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Manifest.ImageIndex;
import dev.meridian.core.oci.Manifest.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void dockerSchema2ManifestYieldsConfigThenLayersInOrder() {
    Manifest manifest = ManifestParser.parse(bytes(DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST));

    assertThat(manifest).isInstanceOf(ImageManifest.class);
    assertThat(manifest.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(manifest.references()).containsExactly(
        Descriptor.of(MediaType.DOCKER_CONFIG, Digest.parse(CONFIG_DIGEST), 7023),
        Descriptor.of(new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"), Digest.parse(LAYER1_DIGEST), 32654),
        Descriptor.of(new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"), Digest.parse(LAYER2_DIGEST), 16724));
    assertThat(manifest.subject()).isEmpty();
    assertThat(manifest.annotations()).isEmpty();
    assertThat(manifest.artifactType()).contains(MediaType.DOCKER_CONFIG.value());
  }

  @Test
  void ociManifestKeepsAnnotationsOfTheManifestAndOfItsLayers() {
    var manifest = (ImageManifest) ManifestParser.parse(bytes(OCI_MANIFEST, MediaType.OCI_MANIFEST));

    assertThat(manifest.config().digest()).isEqualTo(Digest.parse(CONFIG_DIGEST));
    assertThat(manifest.layers()).hasSize(1);
    assertThat(manifest.layers().get(0).size()).isEqualTo(3623807);
    assertThat(manifest.layers().get(0).annotations()).containsEntry("org.opencontainers.image.title", "rootfs.tar.gz");
    assertThat(manifest.layers().get(0).platform()).isEmpty();
    assertThat(manifest.annotations()).containsOnlyKeys(
        "org.opencontainers.image.created", "org.opencontainers.image.source");
    assertThat(manifest.artifactType()).contains(MediaType.OCI_CONFIG.value());
  }

  @Test
  void ociIndexYieldsOneChildPerPlatformWithItsRawPlatform() {
    var index = (ImageIndex) ManifestParser.parse(bytes(OCI_INDEX, MediaType.OCI_INDEX));

    assertThat(index.references()).extracting(Descriptor::digest)
        .containsExactly(Digest.parse(AMD64_DIGEST), Digest.parse(ARM64_DIGEST));
    assertThat(index.manifests()).allSatisfy(d -> assertThat(d.mediaType()).isEqualTo(MediaType.OCI_MANIFEST));
    assertThat(index.manifests().get(0).platform()).contains(Map.of("architecture", "amd64", "os", "linux"));
    assertThat(index.manifests().get(1).platform()).contains(
        Map.of("architecture", "arm64", "os", "linux", "variant", "v8", "os.features", List.of("sse4")));
    assertThat(index.annotations()).containsEntry("org.opencontainers.image.ref.name", "1.0");
    assertThat(index.artifactType()).isEmpty();
    assertThat(index.subject()).isEmpty();
  }

  @Test
  void dockerManifestListParsesAsAnIndex() {
    Manifest list = ManifestParser.parse(bytes(DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST_LIST));

    assertThat(list).isInstanceOf(ImageIndex.class);
    assertThat(list.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
    assertThat(list.references()).extracting(Descriptor::size).containsExactly(7143L, 7682L);
    assertThat(list.references()).extracting(Descriptor::mediaType).containsOnly(MediaType.DOCKER_MANIFEST);
  }

  @Test
  void artifactManifestReportsSubjectAndItsOwnArtifactType() {
    var artifact = (ImageManifest) ManifestParser.parse(bytes(OCI_ARTIFACT, MediaType.OCI_MANIFEST));

    assertThat(artifact.subject()).contains(Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse(SUBJECT_DIGEST), 1022));
    assertThat(artifact.artifactType()).contains("application/spdx+json");
    assertThat(artifact.config()).isEqualTo(Descriptor.of(MediaType.OCI_EMPTY, Digest.parse(EMPTY_DIGEST), 2));
    assertThat(artifact.references()).extracting(Descriptor::digest)
        .containsExactly(Digest.parse(EMPTY_DIGEST), Digest.parse(SBOM_DIGEST));
  }

  @Test
  void manifestWithoutArtifactTypeReportsItsConfigMediaTypeEvenTheEmptyOne() {
    String noArtifactType = without(OCI_ARTIFACT, "/artifactType");
    assertThat(ManifestParser.parse(bytes(noArtifactType, MediaType.OCI_MANIFEST)).artifactType())
        .contains(MediaType.OCI_EMPTY.value());

    String emptyArtifactType = with(OCI_ARTIFACT, "/artifactType", NODES.textNode(""));
    assertThat(ManifestParser.parse(bytes(emptyArtifactType, MediaType.OCI_MANIFEST)).artifactType())
        .contains(MediaType.OCI_EMPTY.value());
  }

  @Test
  void indexKeepsItsOwnArtifactTypeAndSubject() {
    String json = with(with(OCI_INDEX, "/artifactType", NODES.textNode("application/vnd.example.bundle")),
        "/subject", tree(DOCKER_MANIFEST_LIST).get("manifests").get(0));
    Manifest index = ManifestParser.parse(bytes(json, MediaType.OCI_INDEX));

    assertThat(index.artifactType()).contains("application/vnd.example.bundle");
    assertThat(index.subject()).map(Descriptor::digest).contains(Digest.parse(AMD64_DIGEST));
    assertThat(index.subject().orElseThrow().platform()).as("platform is kept for index children only").isEmpty();
  }

  @Test
  void emptyLayersAndEmptyManifestsAreAccepted() {
    String noLayers = with(OCI_ARTIFACT, "/layers", NODES.arrayNode());
    assertThat(ManifestParser.parse(bytes(noLayers, MediaType.OCI_MANIFEST)).references()).hasSize(1);

    String noManifests = with(OCI_INDEX, "/manifests", NODES.arrayNode());
    assertThat(ManifestParser.parse(bytes(noManifests, MediaType.OCI_INDEX)).references()).isEmpty();
  }

  @Test
  void missingMediaTypeFieldIsAcceptedAndTheDeclaredTypeDecides() {
    String json = without(OCI_MANIFEST, "/mediaType");
    assertThat(ManifestParser.parse(bytes(json, MediaType.OCI_MANIFEST)).mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
  }

  @Test
  void unknownFieldsAreIgnored() {
    String json = with(with(OCI_MANIFEST, "/config/x-extra", NODES.objectNode().put("a", 1)),
        "/vendor.field", NODES.arrayNode().add(true));
    assertThat(ManifestParser.parse(bytes(json, MediaType.OCI_MANIFEST)).references()).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource({
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json"})
  void mediaTypeFieldThatDiffersFromTheContentTypeIsRefused(String contentType) {
    assertRefused(bytes(OCI_MANIFEST, new MediaType(contentType)), "does not match the content type");
  }

  @Test
  void contentTypeThatIsNotAManifestTypeIsRefused() {
    assertRefused(bytes(OCI_MANIFEST, MediaType.JSON), "unsupported manifest media type");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "application/vnd.docker.distribution.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v1+prettyjws"})
  void dockerSchema1IsRefusedAsUnsupportedWhateverSaysSo(String schema1) {
    String json = """
        {"schemaVersion": 1, "name": "library/busybox", "tag": "latest", "architecture": "amd64",
         "fsLayers": [{"blobSum": "%s"}], "history": [{"v1Compatibility": "{}"}]}""".formatted(LAYER1_DIGEST);
    assertRefused(bytes(json, new MediaType(schema1)), "unsupported");
    assertRefused(bytes(json, MediaType.OCI_MANIFEST), "unsupported");
    assertRefused(bytes(with(DOCKER_MANIFEST, "/mediaType", NODES.textNode(schema1)), MediaType.DOCKER_MANIFEST),
        "unsupported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3", "-2", "2.5", "\"2\"", "true", "99999999999999999999"})
  void schemaVersionOtherThanTwoIsRefused(String version) {
    assertRefused(bytes(with(OCI_MANIFEST, "/schemaVersion", tree("{\"v\":" + version + "}").get("v")),
        MediaType.OCI_MANIFEST), "schemaVersion");
  }

  @ParameterizedTest
  @CsvSource({
      "/schemaVersion, schemaVersion is required",
      "/config, config is required",
      "/layers, layers is required",
      "/config/mediaType, config.mediaType is required",
      "/config/digest, config.digest is required",
      "/config/size, config.size is required",
      "/layers/0/mediaType, layers[0].mediaType is required",
      "/layers/0/digest, layers[0].digest is required",
      "/layers/0/size, layers[0].size is required",
      "/subject/mediaType, subject.mediaType is required",
      "/subject/digest, subject.digest is required",
      "/subject/size, subject.size is required"})
  void imageManifestMissingARequiredFieldIsRefusedNamingIt(String pointer, String message) {
    assertRefused(bytes(without(OCI_ARTIFACT, pointer), MediaType.OCI_MANIFEST), message);
  }

  @ParameterizedTest
  @CsvSource({
      "/schemaVersion, schemaVersion is required",
      "/manifests, manifests is required",
      "/manifests/1/mediaType, manifests[1].mediaType is required",
      "/manifests/1/digest, manifests[1].digest is required",
      "/manifests/1/size, manifests[1].size is required"})
  void indexMissingARequiredFieldIsRefusedNamingIt(String pointer, String message) {
    assertRefused(bytes(without(OCI_INDEX, pointer), MediaType.OCI_INDEX), message);
    assertRefused(bytes(without(DOCKER_MANIFEST_LIST, pointer), MediaType.DOCKER_MANIFEST_LIST), message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/layers/1/digest | \"sha256:ABC\"          | layers[1].digest is not a valid digest",
      "/layers/1/digest | \"md5:d41d8cd98f00b204e9800998ecf8427e\" | layers[1].digest is not a valid digest",
      "/config/digest   | \"sha256:../../etc\"    | config.digest is not a valid digest",
      "/layers/0/size   | -1                      | layers[0].size must not be negative",
      "/layers/0/size   | 1.5                     | layers[0].size must be an integer",
      "/layers/0/size   | \"12\"                  | layers[0].size must be an integer",
      "/layers/0/size   | 92233720368547758070    | layers[0].size is too large",
      "/config/mediaType| \"not a media type\"    | config.mediaType is not a valid media type",
      "/config/mediaType| 7                       | config.mediaType must be a string",
      "/config          | []                      | config must be an object",
      "/layers          | {}                      | layers must be an array",
      "/layers/0        | \"sha256:x\"            | layers[0] must be an object",
      "/annotations     | {\"a\": 1}              | annotations[\"a\"] must be a string",
      "/layers/0/annotations | []                 | layers[0].annotations must be an object",
      "/artifactType    | \"spdx\"                | artifactType is not a valid media type",
      "/subject         | \"sha256:x\"            | subject must be an object",
      "/mediaType       | 2                       | mediaType must be a string",
      "/manifests       | []                      | must not have manifests"})
  void imageManifestWithAWrongValueIsRefusedNamingTheField(String pointer, String value, String message) {
    String json = with(DOCKER_MANIFEST, pointer, tree("{\"v\":" + value + "}").get("v"));
    assertRefused(bytes(json, MediaType.DOCKER_MANIFEST), message);
  }

  @Test
  void indexCarryingLayersOrConfigIsRefusedAsAmbiguous() {
    String withLayers = with(OCI_INDEX, "/layers", NODES.arrayNode());
    assertRefused(bytes(withLayers, MediaType.OCI_INDEX), "must not have config or layers");
    String withConfig = with(OCI_INDEX, "/config", tree(OCI_MANIFEST).get("config"));
    assertRefused(bytes(withConfig, MediaType.OCI_INDEX), "must not have config or layers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "null", "[]", "\"manifest\"", "42", "{", "{} {}", "{\"schemaVersion\": 2,}",
      "{\"schemaVersion\": 2, \"schemaVersion\": 2}"})
  void bytesThatAreNotOneJsonObjectAreRefused(String text) {
    assertRefused(bytes(text, MediaType.OCI_MANIFEST), "");
  }

  @Test
  void duplicateKeysAreRefusedSoNoTwoReadersSeeDifferentLayers() {
    String json = OCI_MANIFEST.replace("\"layers\": [", "\"layers\": [], \"layers\": [");
    assertRefused(bytes(json, MediaType.OCI_MANIFEST), "Duplicate field");
  }

  @Test
  void oversizedManifestIsRefusedWith413() {
    byte[] big = new byte[ManifestBytes.MAX_SIZE + 1];
    assertThatThrownBy(() -> ManifestParser.parse(new ManifestBytes(big, MediaType.OCI_MANIFEST)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(413));
  }

  @Test
  void detectMediaTypeReadsTheMediaTypeField() {
    assertThat(ManifestParser.detectMediaType(utf8(DOCKER_MANIFEST))).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(ManifestParser.detectMediaType(utf8(DOCKER_MANIFEST_LIST))).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
    assertThat(ManifestParser.detectMediaType(utf8(OCI_INDEX))).isEqualTo(MediaType.OCI_INDEX);
  }

  @Test
  void detectMediaTypeFallsBackToTheShape() {
    assertThat(ManifestParser.detectMediaType(utf8(without(OCI_INDEX, "/mediaType")))).isEqualTo(MediaType.OCI_INDEX);
    assertThat(ManifestParser.detectMediaType(utf8(without(OCI_ARTIFACT, "/mediaType"))))
        .isEqualTo(MediaType.OCI_MANIFEST);
    MediaType schema1 = ManifestParser.detectMediaType(utf8("{\"schemaVersion\": 1, \"fsLayers\": []}"));
    assertThatThrownBy(() -> ManifestParser.parse(bytes("{\"schemaVersion\": 1}", schema1)))
        .hasMessageContaining("unsupported");
  }

  @Test
  void detectMediaTypeRefusesWhatIsNotAManifest() {
    assertRefused(() -> ManifestParser.detectMediaType(utf8("not json")), "not valid JSON");
    assertRefused(() -> ManifestParser.detectMediaType(utf8("{\"mediaType\": \"a b\"}")), "mediaType");
  }

  @Test
  void parsedDescriptorsCarryOptionalFieldsAsOptionals() {
    var manifest = (ImageManifest) ManifestParser.parse(bytes(
        with(OCI_MANIFEST, "/layers/0/artifactType", NODES.textNode("application/vnd.example")), MediaType.OCI_MANIFEST));
    assertThat(manifest.layers().get(0).artifactType()).isEqualTo(Optional.of("application/vnd.example"));
    assertThat(manifest.config().artifactType()).isEmpty();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(ManifestBytes bytes, String messageFragment) {
    assertRefused(() -> ManifestParser.parse(bytes), messageFragment);
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String fragment) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID))
        .hasMessageContaining(fragment);
  }
}
