package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.oci.RepositoryName;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** HTTP behaviour clients rely on: keep-alive, 100-continue, and bodies that disagree with their headers. */
class ProtocolApiTest extends ApiTestBase {

  private String startUpload(RawHttp raw) throws Exception {
    raw.send("POST /v2/app/blobs/uploads/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", null);
    RawHttp.Response started = raw.read(false);
    assertThat(started.status()).isEqualTo(202);
    return started.header("Location");
  }

  @Test
  void oneConnectionCarriesManyRequests() throws Exception {
    byte[] content = randomBytes(1, 10_000);
    try (RawHttp raw = new RawHttp(address())) {
      String location = startUpload(raw);
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\nContent-Range: 0-9999\r\n\r\n", content);
      assertThat(raw.read(false).header("Range")).isEqualTo("0-9999");
      raw.send("PUT " + location + "?digest=" + digest(content) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", null);
      assertThat(raw.read(false).status()).isEqualTo(201);
      raw.send("HEAD /v2/app/blobs/" + digest(content) + " HTTP/1.1\r\nHost: x\r\n\r\n", null);
      RawHttp.Response head = raw.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo("10000");
      raw.send("GET /v2/app/blobs/" + digest(content) + " HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertThat(raw.read(false).body()).isEqualTo(content);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      raw.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\nGET /v2/nowhere/tags/list HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertThat(raw.read(false).status()).isEqualTo(200);
      assertThat(raw.read(false).status()).isEqualTo(404);
      assertThat(raw.read(false).text()).contains("alive");
    }
  }

  @Test
  void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
    byte[] chunk = randomBytes(2, 5000);
    try (RawHttp raw = new RawHttp(address())) {
      String location = startUpload(raw);
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n", null);
      assertThat(raw.read(false).status()).isEqualTo(100);
      raw.sendBytes(chunk);
      RawHttp.Response accepted = raw.read(false);
      assertThat(accepted.status()).isEqualTo(202);
      assertThat(accepted.header("Range")).isEqualTo("0-4999");
    }
  }

  @Test
  void expectContinueToARefusedRequestGetsTheRefusalInsteadOfContinue() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      raw.send("PATCH /v2/app/blobs/uploads/unknown HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n", null);
      assertError(raw.read(false), 404, "BLOB_UPLOAD_UNKNOWN");
    }
    // (java.net.http on Java 17 waits forever when an Expect: 100-continue gets a final answer, so raw only.)
  }

  @Test
  void bodyLongerThanContentLengthCannotSmuggleARequest() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      String location = startUpload(raw);
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", "0123456789".getBytes());
      RawHttp.Response accepted = raw.read(false);
      assertThat(accepted.status()).isEqualTo(202);
      assertThat(accepted.header("Range")).isEqualTo("0-4");
      // The extra bytes are read as the next request, which is garbage: 400, then the connection closes.
      raw.send("\r\n\r\n", null);
      RawHttp.Response garbage = raw.read(false);
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void bodyShorterThanContentLengthThenHangUpKeepsOnlyWhatArrivedAndFreesTheSession() throws Exception {
    String location;
    try (RawHttp raw = new RawHttp(address())) {
      location = startUpload(raw);
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n", new byte[400]);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          fixture.service().uploadStatus(new RepositoryName("app"), location.substring(location.lastIndexOf('/') + 1)).offset() == 400);
    }
    // Once the connection is gone the session is free again and resumes at what arrived.
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(patch(location, "400-409", new byte[10]).statusCode()).isEqualTo(202));
    assertThat(get(location).headers().firstValue("Range")).contains("0-409");
  }

  @Test
  void chunkedBodyLongerThanItsContentRangeIsSizeInvalidAndKeepsNoExtraByte() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      String location = startUpload(raw);
      String chunked = "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n";
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Range: 0-9\r\n\r\n" + chunked, null);
      RawHttp.Response refused = raw.read(false);
      assertError(refused, 400, "SIZE_INVALID");
      assertThat(get(location).headers().firstValue("Range")).contains("0-9");
    }
  }

  @Test
  void malformedRequestLineIsA400NotA500() throws Exception {
    try (RawHttp raw = new RawHttp(address())) {
      raw.send("THIS IS NOT HTTP\r\n\r\n", null);
      assertThat(raw.read(false).status()).isBetween(400, 499);
    }
    try (RawHttp raw = new RawHttp(address())) {
      raw.send("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n", null);
      assertThat(raw.read(false).status()).isEqualTo(431);
    }
  }
}
