package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The head of a peer's blob response, parsed from the bytes received so far. */
class ResponseHeadTest {
  private static final String BLOB_206 = "HTTP/1.1 206 Partial Content\r\n"
      + "content-type: application/octet-stream\r\n"
      + "Content-Range: bytes 100-299/300\r\n"
      + "content-length: 200\r\n"
      + "X-Empty:\r\n"
      + "\r\n";

  @Test
  void aCompleteHeadGivesItsStatusFieldsAndWhereTheBodyStarts() throws ProtocolException {
    byte[] bytes = (BLOB_206 + "body bytes").getBytes(ISO_8859_1);
    ResponseHead head = ResponseHead.parse(bytes, bytes.length).orElseThrow();

    assertThat(head.status()).isEqualTo(206);
    assertThat(head.field("CONTENT-RANGE")).contains("bytes 100-299/300");
    assertThat(head.field("x-empty")).contains("");
    assertThat(head.field("etag")).isEmpty();
    assertThat(head.contentLength()).hasValue(200);
    assertThat(head.transferEncoded()).isFalse();
    assertThat(new String(bytes, head.length(), bytes.length - head.length(), ISO_8859_1)).isEqualTo("body bytes");
  }

  @Test
  void aHeadNotYetEndedByItsBlankLineIsNotParsedYet() throws ProtocolException {
    byte[] bytes = BLOB_206.getBytes(ISO_8859_1);
    for (int end = 0; end < bytes.length; end++) {
      assertThat(ResponseHead.parse(bytes, end)).as("first %d bytes", end).isEmpty();
    }
    assertThat(ResponseHead.parse(bytes, bytes.length)).isPresent();
  }

  @Test
  void aStatusLineWithoutReasonPhraseIsAccepted() throws ProtocolException {
    byte[] bytes = "HTTP/1.1 404\r\n\r\n".getBytes(ISO_8859_1);
    assertThat(ResponseHead.parse(bytes, bytes.length).orElseThrow().status()).isEqualTo(404);
  }

  @Test
  void aChunkedBodyIsReportedAsNotFramedByItsLength() throws ProtocolException {
    byte[] bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(ISO_8859_1);
    ResponseHead head = ResponseHead.parse(bytes, bytes.length).orElseThrow();
    assertThat(head.transferEncoded()).isTrue();
    assertThat(head.contentLength()).isEmpty();
  }

  @Test
  void malformedHeadsAreRefusedNotGuessedAt() {
    for (String head : List.of(
        "HTTP/2 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20x OK\r\n\r\n",
        "HTTP/1.1 099 Early\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: value\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nname : space before colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nbad\u0000name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx: a\u0000b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx: a\nb\r\n\r\n",
        "HTTP/1.x 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx: a\u000b\r\n\r\n")) {
      byte[] bytes = head.getBytes(ISO_8859_1);
      assertThatThrownBy(() -> ResponseHead.parse(bytes, bytes.length)).as(head).isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void aContentLengthThatIsNotOneNumberIsRefused() throws ProtocolException {
    for (String value : List.of("-1", "1e3", "0x10", "12 34", "", "99999999999999999999", "+5")) {
      byte[] bytes = ("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n").getBytes(ISO_8859_1);
      ResponseHead head = ResponseHead.parse(bytes, bytes.length).orElseThrow();
      assertThatThrownBy(head::contentLength).as(value).isInstanceOf(ProtocolException.class);
    }
    byte[] twice = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n".getBytes(ISO_8859_1);
    ResponseHead head = ResponseHead.parse(twice, twice.length).orElseThrow();
    assertThatThrownBy(head::contentLength).isInstanceOf(ProtocolException.class);
  }

  @Test
  void aHeadLongerThanTheLimitIsRefusedRatherThanBufferedForEver() {
    byte[] endless = ("HTTP/1.1 200 OK\r\nx: " + "a".repeat(ResponseHead.MAX_LENGTH) + "\r\n\r\n").getBytes(ISO_8859_1);
    assertThatThrownBy(() -> ResponseHead.parse(endless, endless.length)).isInstanceOf(ProtocolException.class);
  }

  /** Whatever a peer sends, the parser waits for more, parses a head inside the bytes, or refuses: nothing else. */
  @Property(tries = 3000)
  void anyBytesGiveAHeadInsideThemNothingYetOrAProtocolError(@ForAll("responses") byte[] bytes) {
    try {
      Optional<ResponseHead> head = ResponseHead.parse(bytes, bytes.length);
      head.ifPresent(h -> {
        assertThat(h.length()).isBetween(4, Math.min(bytes.length, ResponseHead.MAX_LENGTH));
        assertThat(h.status()).isBetween(100, 999);
      });
    } catch (ProtocolException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }

  /** A head that arrives in two reads parses as it does in one, once its blank line is in. */
  @Property(tries = 1000)
  void whereTheBytesAreSplitDoesNotChangeTheHead(@ForAll("responses") byte[] bytes, @ForAll @IntRange(min = 0, max = 400) int cut) {
    int split = Math.min(cut, bytes.length);
    Optional<String> whole = outcome(bytes, bytes.length);
    Optional<String> early = outcome(bytes, split);
    if (early.isPresent()) assertThat(early).isEqualTo(whole);
  }

  private static Optional<String> outcome(byte[] bytes, int end) {
    try {
      return ResponseHead.parse(Arrays.copyOf(bytes, end), end).map(h -> h.status() + " " + h.fields() + " " + h.length());
    } catch (ProtocolException e) {
      return Optional.of("refused");
    }
  }

  @Provide
  Arbitrary<byte[]> responses() {
    Arbitrary<String> line = Arbitraries.oneOf(
        Arbitraries.of("Content-Length: 10", "Content-Range: bytes 0-9/10", "Transfer-Encoding: chunked", " folded", ":",
            "x:", "HTTP/1.1 200 OK", "", "Content-Length: 1", "Content-Length: abc"),
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().withChars("a-zA-Z0-9:-/ \r\n\t").ofMaxLength(60));
    Arbitrary<String> status = Arbitraries.oneOf(
        Arbitraries.of("HTTP/1.1 200 OK", "HTTP/1.1 206 Partial Content", "HTTP/1.0 404", "HTTP/1.1 302 Found", "HTTP/1.1 1"),
        Arbitraries.strings().ofMaxLength(20));
    Arbitrary<String> tail = Arbitraries.of("\r\n\r\n", "\r\n", "\n\n", "", "\r\n\r\nbody");
    return net.jqwik.api.Combinators.combine(status, line.list().ofMaxSize(8), tail)
        .as((s, lines, end) -> (s + "\r\n" + String.join("\r\n", lines) + end).getBytes(ISO_8859_1))
        .injectDuplicates(0.05);
  }
}
