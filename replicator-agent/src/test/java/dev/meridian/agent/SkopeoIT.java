package dev.meridian.agent;

import dev.meridian.agent.it.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real client: skopeo pushes an OCI layout to the agent, reads it back, copies across repositories, deletes. */
class SkopeoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir, "skopeo", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(output);
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
    return text;
  }

  /** An OCI image layout with one image: a config and two uncompressed layers (a 3 MiB one and a small one). */
  private static Digest writeLayout(Path layout) throws IOException {
    Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
    List<byte[]> layers = List.of(tar("big", TestImages.randomBytes(1, 3 * 1024 * 1024)), tar("small", TestImages.randomBytes(2, 100)));
    List<String> diffIds = new ArrayList<>();
    for (byte[] layer : layers) {
      Files.write(blobs.resolve(Digest.sha256Of(layer).hex()), layer);
      diffIds.add("\"" + Digest.sha256Of(layer) + "\"");
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":" + diffIds + "}}")
        .getBytes(StandardCharsets.UTF_8);
    Files.write(blobs.resolve(Digest.sha256Of(config).hex()), config);
    byte[] manifest = TestImages.manifest(config, layers);
    Digest digest = Digest.sha256Of(manifest);
    Files.write(blobs.resolve(digest.hex()), manifest);
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + TestImages.OCI_MANIFEST
        + "\",\"digest\":\"" + digest + "\",\"size\":" + manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
    return digest;
  }

  /** A tar archive of one regular file (512-byte header, content padded to 512, two zero blocks). */
  private static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    for (int i = 148; i < 156; i++) header[i] = ' ';
    int sum = 0;
    for (byte b : header) sum += b & 0xff;
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    header[155] = ' ';
    int padded = (content.length + 511) / 512 * 512;
    byte[] tar = new byte[512 + padded + 1024];
    System.arraycopy(header, 0, tar, 0, 512);
    System.arraycopy(content, 0, tar, 512, content.length);
    return tar;
  }

  private static void put(byte[] target, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, target, offset, bytes.length);
  }

  /** The test fleet's admin (authentication is on by default). */
  private static final String CREDS = TestCredentials.creds();

  @Test
  void skopeoPushesPullsCopiesAndDeletes(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is installed");
    writeLayout(dir.resolve("layout"));
    try (RegionAgent agent = RegionAgent.start(new AgentConfig(new RegionId("eastus"), "127.0.0.1", 0, dir.resolve("data"))
        .withSecurity(TestCredentials.settings()))) {
      String registry = "127.0.0.1:" + agent.address().getPort();
      run(dir, "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", CREDS, "oci:" + dir.resolve("layout") + ":v1", "docker://" + registry + "/team/app:v1");

      String raw = run(dir, "skopeo", "inspect", "--tls-verify=false", "--creds", CREDS, "--raw", "docker://" + registry + "/team/app:v1");
      JsonNode manifest = JSON.readTree(raw);
      assertThat(manifest.get("layers")).hasSize(2);
      String pushedDigest = Digest.sha256Of(raw.getBytes(StandardCharsets.UTF_8)).toString();

      assertThat(run(dir, "skopeo", "list-tags", "--tls-verify=false", "--creds", CREDS, "docker://" + registry + "/team/app")).contains("\"v1\"");
      run(dir, "skopeo", "copy", "--src-tls-verify=false", "--src-creds", CREDS, "docker://" + registry + "/team/app:v1", "oci:" + dir.resolve("pulled") + ":v1");
      JsonNode pulledIndex = JSON.readTree(dir.resolve("pulled/index.json").toFile());
      assertThat(pulledIndex.get("manifests").get(0).get("digest").asText()).isEqualTo(pushedDigest);

      run(dir, "skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--src-creds", CREDS, "--dest-creds", CREDS,
          "docker://" + registry + "/team/app:v1", "docker://" + registry + "/team/copy:v2");
      run(dir, "skopeo", "delete", "--tls-verify=false", "--creds", CREDS, "docker://" + registry + "/team/app@" + pushedDigest);
      assertThat(run(dir, "skopeo", "list-tags", "--tls-verify=false", "--creds", CREDS, "docker://" + registry + "/team/app")).doesNotContain("\"v1\"");
      assertThat(run(dir, "skopeo", "inspect", "--tls-verify=false", "--creds", CREDS, "--raw", "docker://" + registry + "/team/copy:v2")).isEqualTo(raw);
    }
  }
}
