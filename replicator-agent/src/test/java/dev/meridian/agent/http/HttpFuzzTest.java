package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed requests on real sockets: whatever arrives, the server never answers 5xx, never leaves a
 * client hanging (each connection gets its answer or is closed within bounded time once the client stops sending),
 * leaks no file handle and leaves no temp file behind. The seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
class HttpFuzzTest extends ApiTestBase {
  private static final int REQUESTS = 400;
  private static final int READ_TIMEOUT_MS = 20_000;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
  private static final String[] METHODS = {"GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "TRACE", "G\u0000T", "",
      "CONNECT", "get", "PUT PUT"};
  private static final String[] SEGMENTS = {"..", "%2e%2e", "%2f", "%00", "%", "%zz", "team", "app", "a", "b.c", "v1", "latest",
      "blobs", "uploads", "manifests", "tags", "list", "referrers", "_catalog", "sha256:" + "a".repeat(64), "sha256:zz", "",
      "x".repeat(300), "~", "é", " ", "\t", "a;b", "sha512:" + "b".repeat(128)};
  private static final String[] HEADERS = {"Content-Length", "Content-Type", "Content-Range", "Range", "Transfer-Encoding",
      "Expect", "Host", "Connection", "Accept", "Authorization", "Meridian-Internal", "Content-Encoding", "X-" + "h".repeat(50)};
  private static final String[] VALUES = {"0", "1", "-1", "10", "99999999999999999999", "chunked", "100-continue", "close",
      "keep-alive", "bytes=0-", "bytes=-5", "bytes=5-1", "0-9", "5-1", "9223372036854775807-9223372036854775807",
      "application/vnd.oci.image.manifest.v1+json", "application/octet-stream", "*/*", "gzip", "identity, chunked", "",
      "\u0001", "no-read-through", "v".repeat(300)};

  @Test
  void randomAndMalformedRequestsNeverGet5xxNorHangNorLeakHandlesOrTempFiles() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("HttpFuzzTest seed=" + seed);
    Random random = new Random(seed);
    get("/v2/"); // warm up: lazily opened handles are counted in the baseline
    long handlesBefore = openHandles();

    List<String> failures = new ArrayList<>();
    int answered = 0;
    for (int i = 0; i < REQUESTS && failures.size() < 5; i++) {
      byte[] request = request(random);
      String answer = exchange(request);
      if (answer == null) {
        failures.add("no answer nor close within " + READ_TIMEOUT_MS + " ms for: " + printable(request));
        continue;
      }
      Matcher status = STATUS_LINE.matcher(answer);
      if (status.find(0)) answered++;
      status.reset();
      while (status.find()) {
        if (status.group(1).startsWith("5")) failures.add(status.group(1) + " for: " + printable(request) + "\n" + answer);
      }
    }
    assertThat(failures).as("seed %d", seed).isEmpty();
    // Not a server that just hangs up: most requests with a request line get an answer.
    assertThat(answered).as("requests answered, seed %d", seed).isGreaterThan(REQUESTS / 3);

    assertThat(get("/v2/").statusCode()).as("still serving").isEqualTo(200);
    await("file handles back to the baseline").atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(openHandles()).as("seed %d", seed).isLessThanOrEqualTo(handlesBefore + 8));
    Path tmp = fixture.blobsRoot().resolve("tmp");
    await("no temp file left").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      try (Stream<Path> left = Files.exists(tmp) ? Files.list(tmp) : Stream.empty()) {
        assertThat(left.toList()).as("seed %d", seed).isEmpty();
      }
    });
    try (Stream<Path> blobs = Files.walk(fixture.blobsRoot().resolve("blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .allMatch(name -> name.matches("[a-f0-9]{64}|[a-f0-9]{128}"));
    }
  }

  private byte[] request(Random random) {
    var out = new ByteArrayOutputStream();
    switch (random.nextInt(6)) {
      case 0 -> { // noise
        byte[] noise = new byte[random.nextInt(600)];
        random.nextBytes(noise);
        out.writeBytes(noise);
      }
      case 1 -> { // a request line only, possibly cut short
        String line = pick(random, METHODS) + " " + target(random) + " HTTP/1.1\r\n";
        out.writeBytes(line.substring(0, random.nextInt(line.length() + 1)).getBytes(StandardCharsets.UTF_8));
      }
      default -> { // a structured request with hostile parts
        String version = random.nextInt(10) == 0 ? pick(random, new String[] {"HTTP/1.0", "HTTP/2.0", "HTTP/9", "FOO"}) : "HTTP/1.1";
        out.writeBytes((pick(random, METHODS) + " " + target(random) + " " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(4) > 0) out.writeBytes("Host: 127.0.0.1\r\n".getBytes(StandardCharsets.UTF_8));
        int headers = random.nextInt(6);
        for (int h = 0; h < headers; h++) {
          out.writeBytes((pick(random, HEADERS) + ": " + pick(random, VALUES) + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        byte[] body = new byte[random.nextInt(3) == 0 ? random.nextInt(5000) : 0];
        random.nextBytes(body);
        if (random.nextBoolean() && body.length > 0) {
          out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.writeBytes(body);
          out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        } else {
          out.writeBytes(body);
        }
      }
    }
    return out.toByteArray();
  }

  private static String target(Random random) {
    var target = new StringBuilder(random.nextInt(8) == 0 ? "" : "/v2");
    int segments = random.nextInt(7);
    for (int s = 0; s < segments; s++) target.append('/').append(pick(random, SEGMENTS));
    if (random.nextInt(4) == 0) target.append('/');
    if (random.nextInt(3) == 0) {
      target.append('?').append(pick(random, new String[] {"n=", "last=", "digest=", "mount=", "from=", "artifactType=", "&&", "=%"}))
          .append(pick(random, SEGMENTS)).append(random.nextBoolean() ? "&n=" + random.nextInt() : "");
    }
    return target.length() == 0 ? "/" : target.toString();
  }

  private static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** Sends the request, then half-closes: the answer(s) read until the server closes; null if it never does. */
  private String exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket(address().getAddress(), address().getPort())) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        // the server may refuse and close before the whole request is written: read what it said
      }
      InputStream in = socket.getInputStream();
      var answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) != -1; ) answer.write(buffer, 0, n);
      } catch (SocketTimeoutException hang) {
        return null;
      } catch (IOException reset) {
        // a reset after the answer is a close too
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static long openHandles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static String printable(byte[] request) {
    String text = new String(request, 0, Math.min(request.length, 400), StandardCharsets.ISO_8859_1);
    return text.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
