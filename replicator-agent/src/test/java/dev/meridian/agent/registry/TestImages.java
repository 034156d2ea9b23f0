package dev.meridian.agent.registry;

import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Builds blobs and manifest JSON for tests. */
public final class TestImages {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

  private TestImages() {}

  public static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static Digest digest(byte[] bytes) {
    return Digest.sha256Of(bytes);
  }

  public static String descriptor(String mediaType, byte[] content) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
  }

  /** An OCI image manifest over a config and layers, optionally an artifact with a subject. */
  public static byte[] manifest(byte[] config, List<byte[]> layers, String artifactType, byte[] subject, String subjectType) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"");
    if (artifactType != null) json.append(",\"artifactType\":\"").append(artifactType).append('"');
    json.append(",\"config\":").append(descriptor(OCI_CONFIG, config));
    json.append(",\"layers\":[");
    for (int i = 0; i < layers.size(); i++) json.append(i == 0 ? "" : ",").append(descriptor(LAYER, layers.get(i)));
    json.append(']');
    if (subject != null) json.append(",\"subject\":").append(descriptor(subjectType, subject));
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] manifest(byte[] config, List<byte[]> layers) {
    return manifest(config, layers, null, null, null);
  }

  public static byte[] index(List<byte[]> manifests) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
    for (int i = 0; i < manifests.size(); i++) json.append(i == 0 ? "" : ",").append(descriptor(OCI_MANIFEST, manifests.get(i)));
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
