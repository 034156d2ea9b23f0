package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.security.ClientLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import static dev.meridian.agent.registry.TestImages.digest;
import org.junit.jupiter.api.Test;

/**
 * A blob reaches a client on this host as mapped windows and any other client by {@code sendfile}: both paths give
 * the same bytes, whole or as a range, across the windows' edges.
 */
class DownloadPathsTest extends ApiTestBase {
  private static final int SIZE = 2 * MappedFileChunks.WINDOW + 12_345;

  private byte[] pushed() {
    byte[] content = new byte[SIZE];
    new Random(11).nextBytes(content);
    pushBlob("paths/blob", content);
    return content;
  }

  private HttpResponse<byte[]> getFrom(int port, String path, String range) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (range != null) request.header("Range", range);
    return send(request);
  }

  private void assertBothWholeAndRanged(int port, byte[] content) {
    String path = "/v2/paths/blob/blobs/" + digest(content);
    HttpResponse<byte[]> whole = getFrom(port, path, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);

    int first = MappedFileChunks.WINDOW - 100;
    int last = 2 * MappedFileChunks.WINDOW + 100;
    HttpResponse<byte[]> ranged = getFrom(port, path, "bytes=" + first + "-" + last);
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(content, first, last + 1));

    HttpResponse<byte[]> tail = getFrom(port, path, "bytes=-7");
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, SIZE - 7, SIZE));
  }

  @Test
  void aClientOnThisHostGetsTheWholeBlobAndRangesAcrossMappedWindows() {
    byte[] content = pushed();

    assertBothWholeAndRanged(address().getPort(), content);
  }

  @Test
  void aClientServedBySendfileGetsTheSameBytes() {
    byte[] content = pushed();
    try (HttpServer sendfile = HttpServer.start(fixture.service(), new InetSocketAddress("127.0.0.1", 0),
        HttpExtensions.none(), ReadThrough.NONE, Optional.empty(), ClientLimits.defaults(), false)) {
      assertBothWholeAndRanged(sendfile.address().getPort(), content);
    }
  }
}
