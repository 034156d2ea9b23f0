package dev.meridian.agent.drill;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * {@link DrillWorkload} as an OCI client of the global endpoint, on one thread: pushes a small image (a layer and
 * a config, each a POST then a PUT of the upload session the front door pinned, then the manifest by a new tag),
 * pulls the manifest back by that tag and checks its digest, then pauses {@code interval}. Every failure is
 * recorded with the request and the answer, and the loop goes on.
 */
public final class RegistryWorkload implements DrillWorkload {
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  private final String endpoint;
  private final String repository;
  private final Duration interval;
  private final Random random;
  private final HttpClient http;
  private final Duration timeout;
  private final List<Write> writes = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long pulls;
  private volatile boolean running;
  private Thread thread;

  private final java.util.Optional<String> authorization;

  /** @param authorization the {@code Authorization} header of every push and pull (the operator's credentials) */
  public RegistryWorkload(String endpoint, String repository, Duration interval, long seed, Duration timeout,
      java.util.Optional<String> authorization) {
    this.authorization = authorization;
    this.endpoint = DrillHttp.base(endpoint);
    this.repository = repository;
    this.interval = interval;
    this.random = new Random(seed);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  @Override
  public synchronized void start() {
    if (thread != null) throw new IllegalStateException("the workload runs already");
    running = true;
    thread = new Thread(this::loop, "meridian-drill-workload");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public Result stop() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(timeout.multipliedBy(8).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      return new Result(writes, pulls, errors);
    }
  }

  private void loop() {
    int n = 0;
    while (running) {
      n++;
      String tag = "w" + n;
      try {
        String digest = push(tag);
        synchronized (this) {
          writes.add(new Write(repository, tag, digest));
        }
        pull(tag, digest);
        synchronized (this) {
          pulls++;
        }
      } catch (WorkloadError e) {
        synchronized (this) {
          errors.add(e.getMessage());
        }
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String push(String tag) {
    byte[] layer = new byte[1024 + random.nextInt(4096)];
    random.nextBytes(layer);
    String layerDigest = upload(layer);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
    String configDigest = upload(config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
        .header("Content-Type", MANIFEST_TYPE).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), 201);
    String digest = sha256(manifest);
    String answered = put.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!answered.equals(digest)) throw new WorkloadError("PUT manifest " + tag + ": digest " + answered + ", expected " + digest);
    return digest;
  }

  private void pull(String tag, String digest) {
    HttpResponse<String> got = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
        .header("Accept", MANIFEST_TYPE).GET(), 200);
    String served = sha256(got.body().getBytes(StandardCharsets.ISO_8859_1));
    if (!served.equals(digest)) throw new WorkloadError("GET manifest " + tag + ": served " + served + ", pushed " + digest);
  }

  /** POST starts a session (the front door pins it to a region), PUT of all bytes with the digest ends it. */
  private String upload(byte[] blob) {
    String digest = sha256(blob);
    HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), 202);
    String location = started.headers().firstValue("Location")
        .orElseThrow(() -> new WorkloadError("POST blob upload: 202 without Location"));
    URI session = URI.create(endpoint + "/").resolve(location);
    String put = session + (session.getQuery() == null ? "?" : "&") + "digest=" + digest;
    send(HttpRequest.newBuilder(URI.create(put)).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)), 201);
    return digest;
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, int expected) {
    authorization.ifPresent(value -> builder.header("Authorization", value));
    HttpRequest request = builder.timeout(timeout).build();
    String what = request.method() + " " + request.uri().getPath();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
      if (response.statusCode() != expected) {
        String body = response.body().replaceAll("\\s+", " ");
        throw new WorkloadError(what + ": " + response.statusCode() + " " + (body.length() > 200 ? body.substring(0, 200) : body));
      }
      return response;
    } catch (IOException e) {
      throw new WorkloadError(what + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      throw new WorkloadError(what + ": interrupted");
    }
  }

  private URI uri(String path) {
    return URI.create(endpoint + path);
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One failed client operation, described for the report. */
  private static final class WorkloadError extends RuntimeException {
    WorkloadError(String message) {
      super(message);
    }
  }
}
