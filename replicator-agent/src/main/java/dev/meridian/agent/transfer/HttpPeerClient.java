package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.topology.Region;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeerClient} over the peer's OCI distribution API with the JDK's {@link HttpClient}. Bodies are
 * streamed ({@code BodyHandlers.ofInputStream()}, which asks the connection for more only as the caller
 * reads), so a blob of any size costs the same memory.
 *
 * <p>Timeouts: connect (the client's), response headers ({@code HttpRequest.timeout}), and each body read
 * ({@link ReadTimeouts}), since the JDK client has no read timeout of its own.
 *
 * <p>Blobs of {@value #SOCKET_BODY_MIN_BYTES} bytes and more from plain-http peers bypass the JDK client: each is
 * read over a connection of its own straight into the copy's buffer ({@link SocketBlobGet}, {@link ReadyBytes}).
 *
 * <p>Every request carries {@value #INTERNAL_HEADER}{@code : no-read-through}: a peer lacking the content answers
 * 404 instead of fetching it from yet another region. Anyone can send that header; it only makes the answer
 * poorer, never richer, so it needs no authentication (when authentication comes, it may be restricted to peers).
 */
public final class HttpPeerClient implements PeerClient {
  private static final Logger log = LoggerFactory.getLogger(HttpPeerClient.class);
  static final String MANIFEST_ACCEPT = Stream.of(
          MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST)
      .map(MediaType::value)
      .collect(Collectors.joining(", "));

  /** Marks a request between regions; {@code no-read-through} turns read-through off for it. */
  public static final String INTERNAL_HEADER = "Meridian-Internal";
  public static final String NO_READ_THROUGH = "no-read-through";

  /** The slowest hashing rate a peer is expected to keep up (a busy disk, a loaded CPU): 32 MiB/s. */
  static final long PEER_VERIFY_BYTES_PER_SECOND = 32L << 20;

  /**
   * Blobs at least this large (by their descriptor) are read over a connection of their own, straight into the copy's
   * buffer ({@link SocketBlobGet}): their transfer outweighs setting the connection up. Smaller ones, and manifests,
   * share the JDK client's pooled connections.
   */
  static final long SOCKET_BODY_MIN_BYTES = 4L << 20;

  static final String USER_AGENT = "meridian-peer";

  private final RegionId region;
  private final String base;
  private final HttpClient http;
  private final Duration readTimeout;
  private final Duration connectTimeout;
  private final ProxySelector proxies;
  private volatile boolean socketAnswersRefused; // this peer answered a socket GET with what needs the JDK client
  private final ReadTimeouts readTimeouts;
  private final Optional<String> authorization;

  HttpPeerClient(Region region, HttpClient http, Duration readTimeout, ReadTimeouts readTimeouts) {
    this(region, http, readTimeout, readTimeouts, Optional.empty());
  }

  /** With {@code authorization} (the fleet credential) on every request: peers refuse internal requests without it. */
  HttpPeerClient(Region region, HttpClient http, Duration readTimeout, ReadTimeouts readTimeouts, Optional<String> authorization) {
    this.authorization = requireNonNull(authorization, "authorization");
    this.region = region.id();
    String url = region.url().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.http = requireNonNull(http, "http");
    this.readTimeout = requireNonNull(readTimeout, "readTimeout");
    this.connectTimeout = http.connectTimeout().orElse(readTimeout);
    // Without a selector of its own the JDK client uses the default one (HttpClient.proxy says so).
    this.proxies = http.proxy().orElseGet(ProxySelector::getDefault);
    this.readTimeouts = requireNonNull(readTimeouts, "readTimeouts");
  }

  /**
   * The JDK client reads a socket into buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by default) and
   * hands a streamed body to its reader one buffer at a time, each hand-off a thread wake-up: at 16 KiB, most
   * of a blob transfer's time on a busy machine. Read once, when the client's internals are first loaded, so it
   * is set before any client is built (unless the operator set it).
   */
  static final int BODY_BUFFER_BYTES = 1024 * 1024;

  static {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(BODY_BUFFER_BYTES));
    }
  }

  /** The client every peer of one agent shares: HTTP/1.1 (peers are plain-http registries), redirects followed. */
  static HttpClient newHttpClient(TransferConfig config) {
    return newHttpClient(config, defaultTls());
  }

  /** As {@link #newHttpClient(TransferConfig)}; https peers are trusted per {@code tls}. */
  static HttpClient newHttpClient(TransferConfig config, javax.net.ssl.SSLContext tls) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  static javax.net.ssl.SSLContext defaultTls() {
    try {
      return javax.net.ssl.SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  @Override
  public RegionId region() {
    return region;
  }

  @Override
  public byte[] fetchManifest(RepositoryName repository, Digest digest) {
    HttpRequest request = get(repository, "manifests", digest).header("Accept", MANIFEST_ACCEPT).build();
    HttpResponse<InputStream> response = send(request);
    try (InputStream body = readTimeouts.guard(response.body(), readTimeout)) {
      int status = response.statusCode();
      if (status == 404) throw RegistryException.manifestUnknown(digest.toString());
      if (status != 200) throw failure(status, "manifest " + digest);
      byte[] bytes = body.readNBytes(ManifestBytes.MAX_SIZE + 1);
      if (bytes.length > ManifestBytes.MAX_SIZE) {
        throw RegistryException.manifestInvalid("peer " + region + " served manifest " + digest + " over 4 MiB");
      }
      return bytes;
    } catch (IOException e) {
      throw unavailable("reading manifest " + digest, e);
    }
  }

  @Override
  public PeerBlob openBlob(RepositoryName repository, Digest digest, long fromByte) {
    return openBlob(repository, digest, fromByte, 0);
  }

  @Override
  public PeerBlob openBlob(RepositoryName repository, Digest digest, long fromByte, long expectedSize) {
    if (fromByte < 0) throw new IllegalArgumentException("fromByte < 0: " + fromByte);
    if (expectedSize < 0) throw new IllegalArgumentException("expectedSize < 0: " + expectedSize);
    if (expectedSize >= SOCKET_BODY_MIN_BYTES) {
      Optional<PeerBlob> overSocket = openOverSocket(repository, digest, fromByte, expectedSize);
      if (overSocket.isPresent()) return overSocket.get();
    }
    HttpRequest.Builder builder = get(repository, "blobs", digest).timeout(answerTimeout(expectedSize));
    range(fromByte).ifPresent(value -> builder.header("Range", value));
    HttpResponse<InputStream> response = send(builder.build());
    InputStream body = readTimeouts.guard(response.body(), readTimeout);
    try {
      HttpHeaders headers = response.headers();
      return blob(response.statusCode(), headers.firstValueAsLong("Content-Length"), headers.firstValue("Content-Range"),
          body, digest, fromByte);
    } catch (RuntimeException e) {
      closeQuietly(body, e);
      throw e;
    }
  }

  /**
   * The blob over a connection of its own ({@link SocketBlobGet}), its body read straight into the copy's buffer;
   * empty when the peer is not plain http, or answers what only the JDK client handles (a redirect, a body framed
   * other than by its length): the caller then asks again with that client.
   */
  private Optional<PeerBlob> openOverSocket(RepositoryName repository, Digest digest, long fromByte, long expectedSize) {
    URI uri = uri(repository, "blobs", digest.toString());
    if (socketAnswersRefused || !SocketBlobGet.supports(uri, proxies)) return Optional.empty();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("User-Agent", USER_AGENT);
    fields.putAll(internalFields());
    range(fromByte).ifPresent(value -> fields.put("Range", value));
    SocketBlobGet.Answer answer;
    try {
      answer = SocketBlobGet.get(uri, fields, connectTimeout, answerTimeout(expectedSize), readTimeout, readTimeouts);
    } catch (IOException e) {
      throw unavailable("GET " + uri.getRawPath(), e);
    }
    SocketBody body = answer.body();
    try {
      ResponseHead head = answer.head();
      int status = head.status();
      boolean blobBody = status == 200 || status == 206;
      if (status < 200 || (status >= 300 && status < 400) || (blobBody && (head.transferEncoded() || head.contentLength().isEmpty()))) {
        SocketBlobGet.closeQuietly(body); // what only the JDK client handles: a redirect, a 1xx, a body not framed by its length
        // A peer answering so (behind a redirecting front, say) would be asked twice for every large blob, and hash
        // each twice before it answers: this client asks it with the JDK client from now on.
        if (!socketAnswersRefused) {
          socketAnswersRefused = true;
          log.info("transfer.socket_bodies_off peer={} status={} reason=answer_needs_http_client", region, status);
        }
        return Optional.empty();
      }
      if (!blobBody) SocketBlobGet.closeQuietly(body);
      OptionalLong contentLength = blobBody ? head.contentLength() : OptionalLong.empty();
      Optional<String> range;
      try {
        range = head.field("content-range");
      } catch (ProtocolException doubled) {
        range = Optional.empty(); // no valid range: a 206 is refused below (the JDK client would read the first)
      }
      return Optional.of(blob(status, contentLength, range, body, digest, fromByte));
    } catch (IOException e) { // a head this client does not accept (ProtocolException)
      closeQuietly(body, e);
      throw unavailable("GET " + uri.getRawPath(), e);
    } catch (RuntimeException e) {
      closeQuietly(body, e);
      throw e;
    }
  }

  private PeerBlob blob(int status, OptionalLong contentLength, Optional<String> contentRange, InputStream body,
      Digest digest, long fromByte) {
    if (status == 200) {
      return new PeerBlob(body, fromByte == 0, contentLength);
    }
    if (status == 206) {
      ContentRange range = ContentRange.parse(contentRange.orElse(""))
          .orElseThrow(() -> rangeInvalid(digest, "a 206 without a valid Content-Range"));
      if (range.first() != fromByte) throw rangeInvalid(digest, "bytes from " + range.first() + ", asked " + fromByte);
      return new PeerBlob(body, true, range.total());
    }
    if (status == 404) throw RegistryException.blobUnknown(digest);
    throw failure(status, "blob " + digest);
  }

  /**
   * How long to wait for the response to a blob GET: the read timeout, plus the time the peer may take to hash
   * the whole blob before it answers ({@code BlobHandler} verifies a blob before sending it to a region) at a
   * pessimistic {@value #PEER_VERIFY_BYTES_PER_SECOND} bytes/s. Without it, a blob whose hashing outlasts the
   * read timeout (4 GiB at ~140 MB/s with the default 30 s) would time out on every attempt, for ever.
   */
  Duration answerTimeout(long expectedSize) {
    return readTimeout.plusMillis(Math.min(expectedSize, MAX_SCALED_BYTES) / (PEER_VERIFY_BYTES_PER_SECOND / 1000));
  }

  /** Sizes beyond this (a descriptor's claim, say 2^63 - 1) add no more wait: two hours at the pessimistic rate. */
  static final long MAX_SCALED_BYTES = PEER_VERIFY_BYTES_PER_SECOND * 7200;

  private HttpRequest.Builder get(RepositoryName repository, String kind, Digest digest) {
    return request(repository, kind, digest.toString()).GET();
  }

  private URI uri(RepositoryName repository, String kind, String reference) {
    return URI.create(base + "/v2/" + repository.value() + "/" + kind + "/" + reference);
  }

  private HttpRequest.Builder request(RepositoryName repository, String kind, String reference) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(repository, kind, reference)).timeout(readTimeout);
    internalFields().forEach(builder::header);
    return builder;
  }

  /** The fields every request to a peer carries, whichever client sends it. */
  private Map<String, String> internalFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(INTERNAL_HEADER, NO_READ_THROUGH);
    authorization.ifPresent(value -> fields.put("Authorization", value));
    return fields;
  }

  private static Optional<String> range(long fromByte) {
    return fromByte > 0 ? Optional.of("bytes=" + fromByte + "-") : Optional.empty();
  }

  @Override
  public boolean hasBlob(RepositoryName repository, Digest digest) {
    HttpResponse<InputStream> response = send(request(repository, "blobs", digest.toString())
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    SocketBlobGet.closeQuietly(response.body());
    int status = response.statusCode();
    if (status == 200) return true;
    if (status == 404) return false;
    throw failure(status, "blob " + digest);
  }

  @Override
  public Optional<Digest> resolveTag(RepositoryName repository, Tag tag) {
    HttpResponse<InputStream> response = send(request(repository, "manifests", tag.value())
        .header("Accept", MANIFEST_ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    SocketBlobGet.closeQuietly(response.body());
    int status = response.statusCode();
    if (status == 404) return Optional.empty();
    if (status != 200) throw failure(status, "tag " + tag);
    try {
      return response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
    } catch (RuntimeException e) {
      throw new RegistryException(OciErrorCode.DIGEST_INVALID, "peer " + region + " answered tag " + tag + " with a bad digest");
    }
  }


  private HttpResponse<InputStream> send(HttpRequest request) {
    try {
      return http.send(request, BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unavailable(request.method() + " " + request.uri().getPath(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnavailableException("interrupted while asking " + region, e);
    }
  }

  /** 5xx and 429 are outages; any other status is the peer's answer and asking again will not change it. */
  private RuntimeException failure(int status, String what) {
    String message = "peer " + region + " answered HTTP " + status + " for " + what;
    if (status >= 500 || status == 429) return new PeerUnavailableException(message);
    OciErrorCode code = switch (status) {
      case 401 -> OciErrorCode.UNAUTHORIZED;
      case 403 -> OciErrorCode.DENIED;
      case 416 -> OciErrorCode.RANGE_INVALID;
      default -> OciErrorCode.UNSUPPORTED;
    };
    return new RegistryException(code, message);
  }

  private RegistryException rangeInvalid(Digest digest, String why) {
    return new RegistryException(OciErrorCode.RANGE_INVALID, "peer " + region + " sent blob " + digest + " with " + why);
  }

  private PeerUnavailableException unavailable(String what, IOException e) {
    return new PeerUnavailableException("peer " + region + " failed " + what + ": " + e, e);
  }

  private static void closeQuietly(InputStream body, Exception primary) {
    try {
      body.close();
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  /** A {@code Content-Range: bytes first-last/total} header; total may be {@code *} (unknown). */
  record ContentRange(long first, long last, OptionalLong total) {
    private static final Pattern FORM = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    static Optional<ContentRange> parse(String header) {
      Matcher m = FORM.matcher(header.trim());
      if (!m.matches()) return Optional.empty();
      try {
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        OptionalLong total = m.group(3).equals("*") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(3)));
        if (last < first || (total.isPresent() && last >= total.getAsLong())) return Optional.empty();
        return Optional.of(new ContentRange(first, last, total));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
