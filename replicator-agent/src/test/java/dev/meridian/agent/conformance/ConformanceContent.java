package dev.meridian.agent.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Content shaped like the conformance suite's: image configs made unique by a random author, a gzip layer,
 * image manifests whose config descriptor carries {@code data} and a field no spec defines, a manifest with
 * no layers and no {@code mediaType}, and artifacts with a {@code subject} (typed by their config or by
 * {@code artifactType}, one of them an index). Bytes are pretty-printed JSON, never re-serialised.
 */
final class ConformanceContent {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
  static final String ANNOTATION = "org.opencontainers.conformance.test";
  /** A digest no test ever pushes: that of {@code hello world}. */
  static final String UNKNOWN_DIGEST = digest("hello world".getBytes(StandardCharsets.UTF_8));

  private ConformanceContent() {}

  static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An image config no other test shares. */
  static byte[] config() {
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", List.of());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("author", UUID.randomUUID().toString());
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("rootfs", rootfs);
    return json(config);
  }

  /** A small gzip stream, standing for a layer. */
  static byte[] layer(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] randomBlob(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static Map<String, Object> descriptor(String mediaType, byte[] content) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest(content));
    descriptor.put("size", content.length);
    return descriptor;
  }

  /** An image manifest whose config descriptor also carries {@code data} and an unspecified field. */
  static byte[] image(byte[] config, List<byte[]> layers) {
    Map<String, Object> configDescriptor = descriptor(OCI_CONFIG, config);
    configDescriptor.put("data", Base64.getEncoder().encodeToString(config));
    configDescriptor.put("newUnspecifiedField", Base64.getEncoder().encodeToString("hello world".getBytes(StandardCharsets.UTF_8)));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", configDescriptor);
    manifest.put("layers", layers.stream().map(layer -> descriptor(LAYER_GZIP, layer)).toList());
    return json(manifest);
  }

  /** An image manifest with an empty layer list and, as the suite sends it, no {@code mediaType} field. */
  static byte[] imageWithoutLayers(byte[] config) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("config", descriptor(OCI_CONFIG, config));
    manifest.put("layers", List.of());
    return json(manifest);
  }

  /** An artifact typed by its config's media type: config is {@code blob}, the one layer the empty JSON. */
  static byte[] configTypedArtifact(String artifactType, byte[] blob, byte[] subject, String annotation) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("config", descriptor(artifactType, blob));
    manifest.put("subject", descriptor(OCI_MANIFEST, subject));
    manifest.put("layers", List.of(descriptor(OCI_EMPTY, EMPTY_JSON)));
    if (annotation != null) manifest.put("annotations", Map.of(ANNOTATION, annotation));
    return json(manifest);
  }

  /** An artifact typed by {@code artifactType}: the empty JSON as config, {@code blob} as its one layer. */
  static byte[] fieldTypedArtifact(String artifactType, byte[] blob, byte[] subject, String annotation) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("artifactType", artifactType);
    manifest.put("config", descriptor(OCI_EMPTY, EMPTY_JSON));
    manifest.put("subject", descriptor(OCI_MANIFEST, subject));
    manifest.put("layers", List.of(descriptor(artifactType, blob)));
    if (annotation != null) manifest.put("annotations", Map.of(ANNOTATION, annotation));
    return json(manifest);
  }

  /** An index artifact over {@code children} (image manifests) with a subject. */
  static byte[] indexArtifact(String artifactType, List<byte[]> children, byte[] subject, String annotation) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OCI_INDEX);
    index.put("artifactType", artifactType);
    index.put("manifests", children.stream().map(child -> descriptor(OCI_MANIFEST, child)).toList());
    index.put("subject", descriptor(OCI_MANIFEST, subject));
    index.put("annotations", Map.of(ANNOTATION, annotation));
    return json(index);
  }

  private static byte[] json(Object value) {
    try {
      return ConformanceClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
