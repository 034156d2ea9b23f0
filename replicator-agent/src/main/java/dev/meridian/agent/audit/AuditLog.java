package dev.meridian.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.agent.http.RequestListener;
import dev.meridian.agent.security.AccessAudit;
import dev.meridian.core.clock.RegionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of writes: one JSON line per acknowledged push, tag move or delete, appended to
 * {@code <data-dir>/audit.log}, e.g.
 *
 * <pre>{"time":"2025-01-01T12:00:00Z","region":"eastus","who":"127.0.0.1","action":"manifest.put",
 * "repository":"team/app","reference":"v1","digest":"sha256:...","status":201}</pre>
 *
 * <p>Lines are written from the answered responses ({@link RequestListener}), so only writes the client was
 * told succeeded appear, after their commit. "Who" is the client's address. Refused requests are recorded too
 * ({@link #refused}: {@code "action":"denied"} with the username presented and the reason). Lines go
 * to the file on a thread of their own, flushed line by line but not fsynced: after a power cut the last
 * lines may be missing, never half a line's worth of a committed write's facts.
 */
public final class AuditLog implements RequestListener, dev.meridian.agent.repair.ScrubListener, AccessAudit, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegionId region;
  private final Clock clock;
  private final Writer out;
  private final ExecutorService writer;

  public AuditLog(Path file, RegionId region, Clock clock) {
    this.region = region;
    this.clock = clock;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log " + file, e);
    }
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "meridian-audit");
      t.setDaemon(true);
      return t;
    });
  }

  /** The write a request made, if it was one and it succeeded. Pure. */
  static Optional<String> action(AnsweredRequest request) {
    int status = request.status();
    String route = request.route();
    if (route.equals("/admin/v1/replications/{region}")) {
      // Fleet changes: the region is the reference.
      if (request.method().equals("PUT") && status == 201) return Optional.of("replication.create");
      if (request.method().equals("PATCH") && status == 202) return Optional.of("replication.update");
      if (request.method().equals("DELETE") && status == 202) return Optional.of("replication.delete");
      return Optional.empty();
    }
    if (route.equals("/admin/v1/costs")) {
      return status == 202 && !request.method().equals("GET") ? Optional.of("replication.cost") : Optional.empty();
    }
    if (route.endsWith("/manifests/{reference}")) {
      if (request.method().equals("PUT") && status == 201) return Optional.of("manifest.put");
      if (request.method().equals("DELETE") && status == 202) {
        return Optional.of(request.parameter().filter(p -> p.contains(":")).isPresent() ? "manifest.delete" : "tag.delete");
      }
    } else if (route.endsWith("/blobs/{digest}") && request.method().equals("DELETE") && status == 202) {
      return Optional.of("blob.delete");
    } else if (route.contains("/blobs/uploads/") && status == 201 && (request.method().equals("PUT") || request.method().equals("POST"))) {
      return Optional.of("blob.put"); // a finished upload, a monolithic POST, or a mount
    }
    return Optional.empty();
  }

  @Override
  public void answered(AnsweredRequest request) {
    Optional<String> action = action(request);
    if (action.isEmpty()) return;
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("region", region.value());
    line.put("who", request.remoteAddress());
    line.put("action", action.get());
    line.put("repository", request.name().orElse(null));
    if (request.route().endsWith("/manifests/{reference}") || request.route().endsWith("/replications/{region}")) {
      line.put("reference", request.parameter().orElse(null));
    }
    line.put("digest", request.contentDigest().or(() -> request.parameter().filter(p -> p.contains(":"))).orElse(null));
    line.put("status", request.status());
    String text;
    try {
      text = JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    writer.execute(() -> append(text));
  }

  /**
   * A blob the scrubber found corrupt and quarantined: {@code "who":"scrubber"}, {@code "action":"blob.quarantine"},
   * its digest and size, and how many manifests wait for it again.
   */
  @Override
  public void quarantined(dev.meridian.core.digest.Digest digest, long size, java.util.List<String> pendingManifests) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("region", region.value());
    line.put("who", "scrubber");
    line.put("action", "blob.quarantine");
    line.put("digest", digest.toString());
    line.put("size", size);
    line.put("pendingManifests", pendingManifests.size());
    try {
      String text = JSON.writeValueAsString(line);
      writer.execute(() -> append(text));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A refused request: {@code "action":"denied"} with who asked, what, and why. */
  @Override
  public void refused(Refusal refusal) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("region", region.value());
    line.put("who", refusal.who());
    line.put("address", refusal.address());
    line.put("action", "denied");
    line.put("method", refusal.method());
    line.put("route", refusal.route());
    line.put("repository", refusal.repository().orElse(null));
    line.put("status", refusal.status());
    line.put("reason", refusal.reason());
    try {
      String text = JSON.writeValueAsString(line);
      writer.execute(() -> append(text));
    } catch (JsonProcessingException | java.util.concurrent.RejectedExecutionException e) {
      log.warn("audit.refusal.failed reason={}", e.toString());
    }
  }

  private void append(String line) {
    try {
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      log.error("audit.write.failed line={} reason={}", line, e.toString());
    }
  }

  /** Writes what is queued, then closes the file. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("audit.close.failed reason={}", e.toString());
    }
  }
}
