package dev.meridian.agent.transfer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer region for tests: the blob and manifest GET routes of the OCI distribution API on a real socket
 * (the JDK's HTTP server on 127.0.0.1), with {@code Range: bytes=N-} support and injectable faults. It
 * records every request and counts the body bytes it sent.
 *
 * <p>Blob bodies are written in 64 KiB pieces from their source, and generated content is produced block by
 * block, so even a large blob is never whole in this peer's memory.
 */
final class FaultyPeer implements AutoCloseable {
  private static final Pattern ROUTE = Pattern.compile("^/v2/(.+)/(blobs|manifests)/([^/]+)$");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** What the peer does to a request. */
  sealed interface Fault {}

  record Healthy() implements Fault {}

  /** Serves every byte with its bits flipped every 1000 bytes: same length, wrong digest. */
  record Corrupt() implements Fault {}

  /** Sends this many body bytes, then drops the connection. */
  record DropAfter(long bytes) implements Fault {}

  /** Sends this many body bytes, then sends nothing until released (or the peer closes), then drops. */
  record StallAfter(long bytes) implements Fault {}

  /** Sends this many body bytes, pauses {@code millis}, then sends the rest: a slow peer that finishes. */
  record PauseAfter(long bytes, long millis) implements Fault {}

  /** Answers this status with no body (503, 429, 500...). */
  record Status(int code) implements Fault {}

  /** Answers only after {@code millis}, as a region does that hashes a large blob before it sends it. */
  record AnswerAfter(long millis) implements Fault {}

  /** Answers every blob request with the whole blob (200), Range or not. */
  record IgnoreRange() implements Fault {}

  /** Sends the body chunked ({@code Transfer-Encoding: chunked}) instead of with a {@code Content-Length}. */
  record Chunked() implements Fault {}

  /** One request as the peer saw it. */
  record Request(String kind, Digest digest, Optional<String> range, Optional<String> accept, Optional<String> userAgent) {
    /** The offset of a {@code bytes=N-} range, or 0. */
    long rangeStart() {
      return range.map(r -> {
        Matcher m = RANGE.matcher(r);
        return m.matches() ? Long.parseLong(m.group(1)) : 0L;
      }).orElse(0L);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-peer");
    t.setDaemon(true);
    return t;
  });
  private final Map<Digest, PeerContent> blobs = new ConcurrentHashMap<>();
  private final Map<Digest, byte[]> manifests = new ConcurrentHashMap<>();
  private final AtomicReference<Fault> standing = new AtomicReference<>(new Healthy());
  private final ConcurrentLinkedQueue<Fault> once = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.ConcurrentHashMap<Digest, ConcurrentLinkedQueue<Fault>> onceFor = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<Digest, AtomicLong> servedBytes = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger stalled = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  FaultyPeer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Digest addBlob(byte[] bytes) {
    Digest digest = Digest.sha256Of(bytes);
    blobs.put(digest, new PeerContent.Bytes(bytes));
    return digest;
  }

  void addBlob(Digest digest, PeerContent content) {
    blobs.put(digest, content);
  }

  void removeBlob(Digest digest) {
    blobs.remove(digest);
  }

  Digest addManifest(byte[] bytes) {
    Digest digest = Digest.sha256Of(bytes);
    manifests.put(digest, bytes);
    return digest;
  }

  /** Every following request meets this fault. */
  void fault(Fault fault) {
    standing.set(fault);
  }

  /** The next request meets this fault (after those queued before); later ones meet the standing fault. */
  void faultOnce(Fault fault) {
    once.add(fault);
  }

  /** The next request for {@code digest} meets this fault, whatever other requests arrive meanwhile. */
  void faultOnceFor(Digest digest, Fault fault) {
    onceFor.computeIfAbsent(digest, d -> new ConcurrentLinkedQueue<>()).add(fault);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requestsFor(Digest digest) {
    return requests.stream().filter(r -> r.digest().equals(digest)).toList();
  }

  long bytesServed(Digest digest) {
    return servedBytes.computeIfAbsent(digest, d -> new AtomicLong()).get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  int stalledNow() {
    return stalled.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      serve(exchange);
      exchange.close();
    } finally {
      // After a deliberate drop the exchange is left unclosed: the server then closes the connection.
      inFlight.decrementAndGet();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    Matcher route = ROUTE.matcher(exchange.getRequestURI().getPath());
    if (!"GET".equals(exchange.getRequestMethod()) || !route.matches()) {
      exchange.sendResponseHeaders(405, -1);
      return;
    }
    String kind = route.group(2);
    Digest digest = Digest.parse(route.group(3));
    Optional<String> range = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range"));
    requests.add(new Request(kind, digest, range, Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")),
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent"))));
    Fault fault = Optional.ofNullable(onceFor.getOrDefault(digest, new ConcurrentLinkedQueue<>()).poll())
        .or(() -> Optional.ofNullable(once.poll())).orElse(standing.get());
    if (fault instanceof AnswerAfter a) sleepOrClose(a.millis());
    if (fault instanceof Status status) {
      exchange.sendResponseHeaders(status.code(), -1);
      return;
    }
    PeerContent content = kind.equals("blobs") ? blobs.get(digest) : Optional.ofNullable(manifests.get(digest)).map(PeerContent.Bytes::new).orElse(null);
    if (content == null) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    long size = content.size();
    long from = 0;
    int status = 200;
    if (kind.equals("blobs") && range.isPresent() && !(fault instanceof IgnoreRange)) {
      Matcher m = RANGE.matcher(range.get());
      if (!m.matches() || Long.parseLong(m.group(1)) >= size) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      from = Long.parseLong(m.group(1));
      status = 206;
      exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
    }
    if (kind.equals("manifests")) exchange.getResponseHeaders().set("Content-Type", MediaType.OCI_MANIFEST.value());
    exchange.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
    exchange.sendResponseHeaders(status, fault instanceof Chunked ? 0 : size - from);
    send(exchange, digest, content, from, size, fault);
  }

  private void send(HttpExchange exchange, Digest digest, PeerContent content, long from, long size, Fault fault) throws IOException {
    AtomicLong served = servedBytes.computeIfAbsent(digest, d -> new AtomicLong());
    OutputStream body = new CountingStream(exchange.getResponseBody(), served, fault instanceof Corrupt, from);
    long cut = size;
    if (fault instanceof DropAfter d) cut = Math.min(size, from + d.bytes());
    if (fault instanceof StallAfter s) cut = Math.min(size, from + s.bytes());
    if (fault instanceof PauseAfter p) cut = Math.min(size, from + p.bytes());
    content.write(body, from, cut);
    body.flush();
    if (cut == size) return;
    if (fault instanceof PauseAfter p) {
      sleepOrClose(p.millis());
      content.write(body, cut, size);
      return;
    }
    if (fault instanceof StallAfter) {
      stalled.incrementAndGet();
      try {
        closing.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stalled.decrementAndGet();
      }
    }
    // Throwing out of the handler makes the server close the connection mid-body.
    throw new IOException("fault: connection dropped at byte " + cut);
  }

  private void sleepOrClose(long millis) {
    try {
      closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Releases stalled requests (they drop their connection) and stops the server. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Counts the body bytes sent, and flips a byte every 1000 when corrupting. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    private final AtomicLong served;
    private final boolean corrupt;
    private long position;

    CountingStream(OutputStream out, AtomicLong served, boolean corrupt, long from) {
      this.out = out;
      this.served = served;
      this.corrupt = corrupt;
      this.position = from;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      byte[] bytes = b;
      if (corrupt) {
        bytes = Arrays.copyOfRange(b, off, off + len);
        off = 0;
        for (int i = 0; i < len; i++) {
          if ((position + i) % 1000 == 0) bytes[i] ^= (byte) 0xff;
        }
      }
      out.write(bytes, off, len);
      position += len;
      served.addAndGet(len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
