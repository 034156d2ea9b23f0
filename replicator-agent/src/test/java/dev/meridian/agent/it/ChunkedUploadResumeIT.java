package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.it.support.AgentProcess;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.core.digest.Digest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunked upload (POST, PATCH with Content-Range, PUT with the digest) survives the agent stopping between
 * chunks: the session and the bytes it acknowledged are still there after a restart on the same data directory.
 */
class ChunkedUploadResumeIT {
  private static final String REPO = "team-a/resumable";
  private static final int SIZE = 6 * 1024 * 1024 + 123;
  private static final int FIRST_CHUNK = 4 * 1024 * 1024;

  @RegisterExtension final Agents agents = new Agents();

  @Test
  void uploadResumesFromTheAcknowledgedOffsetAfterSigterm() {
    // 143 is 128 + SIGTERM: the JVM's status when a signal ends it after its shutdown hooks ran.
    uploadAcrossARestart(agent -> assertThat(agent.stop()).as("exit status after SIGTERM").isIn(0, 143));
  }

  @Test
  void uploadResumesFromTheAcknowledgedOffsetAfterKill9() {
    uploadAcrossARestart(AgentProcess::kill9);
  }

  private void uploadAcrossARestart(Consumer<AgentProcess> halt) {
    AgentProcess agent = agents.start("eu-west");
    var http = RegistryHttp.of(agent);
    byte[] blob = SeededBytes.of(21, SIZE);
    Digest digest = Digest.sha256Of(blob);

    String location = http.startUpload(REPO);
    var first = patch(http, location, blob, 0, FIRST_CHUNK);
    assertThat(first.statusCode()).as(RegistryHttp.describe(first)).isEqualTo(202);
    assertThat(heldBytes(first)).isEqualTo(FIRST_CHUNK);
    location = RegistryHttp.location(first);

    halt.accept(agent);
    agent.restart();

    var status = http.get(location);
    assertThat(status.statusCode()).as(RegistryHttp.describe(status)).isEqualTo(204);
    // A 202 acknowledged these bytes, and a process dying cannot lose what it handed to the kernel.
    long held = heldBytes(status);
    assertThat(held).isEqualTo(FIRST_CHUNK);
    location = status.headers().firstValue("Location").orElse(location);

    var rest = patch(http, location, blob, (int) held, SIZE - (int) held);
    assertThat(rest.statusCode()).as(RegistryHttp.describe(rest)).isEqualTo(202);
    assertThat(heldBytes(rest)).isEqualTo(SIZE);
    var put = http.send("PUT", RegistryHttp.withDigest(RegistryHttp.location(rest), digest), BodyPublishers.noBody());
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(201);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());

    var read = http.get("/v2/" + REPO + "/blobs/" + digest);
    assertThat(read.statusCode()).as(RegistryHttp.describe(read)).isEqualTo(200);
    assertThat(read.body()).as("blob read back").isEqualTo(blob);
  }

  private static HttpResponse<byte[]> patch(RegistryHttp http, String location, byte[] blob, int from, int length) {
    return http.send("PATCH", location, BodyPublishers.ofByteArray(blob, from, length),
        "Content-Type", "application/octet-stream",
        "Content-Range", from + "-" + (from + length - 1));
  }

  /** The byte count a {@code Range: 0-<last>} header reports. */
  private static long heldBytes(HttpResponse<?> response) {
    String range = response.headers().firstValue("Range")
        .orElseThrow(() -> new AssertionError("no Range header: " + response.headers().map()));
    String last = range.replaceFirst("^bytes=", "").replaceFirst("^0-", "");
    return Long.parseLong(last) + 1;
  }
}
