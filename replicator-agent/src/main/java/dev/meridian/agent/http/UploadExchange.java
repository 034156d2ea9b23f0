package dev.meridian.agent.http;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.agent.registry.UploadWriter;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Streams an upload body to the blob store as it arrives: pieces are queued and appended in order by one
 * task at a time on the blocking executor, while the event loop goes on reading; the dispatcher reads no
 * more once {@link #HIGH_WATER} bytes wait to be written (memory stays bounded per upload, whatever the
 * blob's size), and resumes when the writer has caught up to {@link #LOW_WATER}. Every step of one exchange runs on a chain
 * ({@link #tail}), so appends, the final sync or commit, and an abandon after a dropped connection never
 * overlap on the (not thread-safe) upload.
 *
 * <p>A {@code Content-Range} is checked against where the upload stands before any byte is read (416 with
 * the held {@code Range} when it does not continue it) and against the body: bytes beyond the announced
 * range are not appended, and a body of another length than announced is answered {@code SIZE_INVALID}.
 */
final class UploadExchange implements Exchange {
  enum Kind {
    /** PATCH: append a chunk, answer 202. */
    CHUNK,
    /** PUT {@code ?digest=}: append an optional last chunk, verify, publish, answer 201. */
    COMPLETE,
    /** POST {@code ?digest=}: a new session with the whole blob, answered like COMPLETE. */
    MONOLITHIC
  }

  private static final long DRAIN_LIMIT = 64 * 1024;
  /** Bytes read but not yet appended at which reading pauses; it resumes once the writer is down to {@link #LOW_WATER}. */
  static final long HIGH_WATER = 4L * 1024 * 1024;
  private static final long LOW_WATER = 1024 * 1024;
  /**
   * Bytes queued before a drain starts on the blocking pool. A client's body arrives in reads of tens of KiB; handing
   * each to another thread cost a wake-up and two context switches per read (a fifth of the agent's CPU on a push,
   * by perf). Below {@link #HIGH_WATER}, so reading never pauses without a drain to resume it.
   */
  static final long DRAIN_BATCH = 512 * 1024;
  /** How long pieces below {@link #DRAIN_BATCH} wait for more before they are handed on anyway. */
  static final long HOLD_MILLIS = 5;
  /**
   * Bytes read but not yet appended by all uploads of this process together beyond which every upload with
   * anything queued pauses until its own queue is empty: many concurrent uploads to a slow disk cannot hold
   * {@link #HIGH_WATER} each of (direct) memory. At most one more piece per upload is read past it.
   */
  static final long PROCESS_HIGH_WATER = 64L * 1024 * 1024;
  private static final java.util.concurrent.atomic.AtomicLong QUEUED_IN_PROCESS = new java.util.concurrent.atomic.AtomicLong();

  private final Call call;
  private final RegistryService service;
  private final Kind kind;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private RepositoryName repository;
  private Digest digest;
  // Written by the event loop and the blocking pool (open, finish, release): volatile so each sees the other's.
  private volatile UploadWriter writer;
  private long announced = -1;
  private long received;
  private RegistryException refusal;
  private volatile boolean finished;
  private boolean aborted;
  // The pieces read but not yet appended, shared with the draining task (guarded by this).
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean draining;
  private io.netty.util.concurrent.ScheduledFuture<?> holdTimer; // event loop only
  private CompletableFuture<Void> room; // completed when the queue is down to resumeAt: reading resumes
  private long resumeAt;

  /** Bytes read but not yet appended by every upload of this process (the process-wide budget's measure). */
  static long queuedInProcess() {
    return QUEUED_IN_PROCESS.get();
  }

  UploadExchange(Call call, RegistryService service, Kind kind) {
    this.call = call;
    this.service = service;
    this.kind = kind;
  }

  @Override
  public CompletionStage<Void> start() {
    return CompletableFuture.runAsync(this::open, call.blocking)
        .handleAsync((ignored, failure) -> {
          if (failure != null) refuse(OciErrorResponder.unwrap(failure), true);
          // The connection dropped while open() was taking the session: give it back, or it stays held.
          else if (aborted) releaseWriter();
          return null;
        }, call.ctx.executor());
  }

  /** Validates the request and takes the session; runs on the blocking executor. */
  private void open() {
    repository = Handlers.repository(call);
    if (kind != Kind.CHUNK) {
      String text = call.match.queryParam("digest")
          .orElseThrow(() -> RegistryException.digestInvalid("completing an upload needs ?digest="));
      digest = Digest.parse(text);
    }
    OptionalLong start = OptionalLong.empty();
    String contentRange = call.request.headers().get(HttpHeaderNames.CONTENT_RANGE);
    if (contentRange != null) {
      ByteRanges.Inclusive range = ByteRanges.parseContentRange(contentRange);
      long length = Call.contentLength(call.request);
      if (length >= 0 && length != range.length()) {
        throw new RegistryException(OciErrorCode.SIZE_INVALID,
            "Content-Length " + length + " does not match Content-Range " + contentRange, null, 400);
      }
      start = OptionalLong.of(range.first());
      announced = range.length();
    }
    long adds = Math.max(0, Call.contentLength(call.request));
    if (kind == Kind.MONOLITHIC) {
      UploadStatus fresh = service.startUpload(repository);
      writer = service.beginWrite(repository, fresh.id().value(), OptionalLong.of(0), adds);
    } else {
      writer = service.beginWrite(repository, call.match.requireParameter(), start, adds);
    }
  }

  @Override
  public CompletionStage<Void> content(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (refusal != null || writer == null || call.replied()) {
      content.release();
      if (last && refusal != null) call.sendError(refusal);
      return CompletableFuture.completedFuture(null);
    }
    int readable = content.content().readableBytes();
    if (announced >= 0 && received + readable > announced) {
      content.release();
      refuse(new RegistryException(OciErrorCode.SIZE_INVALID,
          "body longer than the " + announced + " bytes Content-Range announced", null, 400), false);
      if (last) call.sendError(refusal);
      return CompletableFuture.completedFuture(null);
    }
    received += readable;
    boolean startDrain;
    boolean held;
    CompletableFuture<Void> paused = null;
    synchronized (this) {
      pending.add(content);
      pendingBytes += readable;
      long queued = QUEUED_IN_PROCESS.addAndGet(readable);
      if (!last && (pendingBytes >= HIGH_WATER || queued > PROCESS_HIGH_WATER)) {
        resumeAt = pendingBytes >= HIGH_WATER ? LOW_WATER : 0;
        room = paused = new CompletableFuture<>();
      }
      // A drain goes on taking what arrives while it runs; a new one starts for a batch, for the last piece, or
      // when reading pauses (only a drain resumes it).
      startDrain = !draining && (last || paused != null || pendingBytes >= DRAIN_BATCH);
      held = !draining && !startDrain;
      if (startDrain) draining = true;
    }
    if (startDrain) {
      startDrain(writer);
    } else if (held && holdTimer == null) {
      holdTimer = call.ctx.executor().schedule(this::drainHeld, HOLD_MILLIS, TimeUnit.MILLISECONDS);
    }
    if (last) {
      tail = tail.thenApplyAsync(ignored -> finish(), call.blocking)
          .handleAsync((reply, failure) -> {
            if (failure != null) {
              call.sendError(failure);
            } else {
              call.send(reply);
            }
            return null;
          }, call.ctx.executor());
      return tail;
    }
    return paused != null ? paused : CompletableFuture.completedFuture(null);
  }

  /**
   * Event loop, {@link #HOLD_MILLIS} after a piece was held below the batch size: hands what is held to a drain, so a
   * body that stalls or trickles does not keep its bytes off the disk, counted against the process's budget.
   */
  private void drainHeld() {
    holdTimer = null;
    UploadWriter target = writer;
    if (target == null) return; // released: releaseWriter drained what was held
    if (claimDrainOfHeld()) startDrain(target);
  }

  /** Whether pieces wait with no drain running; if so, the caller must start one (this marks it as running). */
  private synchronized boolean claimDrainOfHeld() {
    if (draining || pending.isEmpty()) return false;
    draining = true;
    return true;
  }

  /**
   * Starts one task on the blocking executor that appends every queued piece, those arriving meanwhile
   * included, until the queue is empty: one hand-off per burst of reads rather than one per piece. A failed
   * append discards what is queued and refuses the upload on the event loop.
   */
  private void startDrain(UploadWriter target) {
    tail = tail.handleAsync((ignored, earlier) -> {
      if (earlier != null) {
        discardPending();
        throw earlier instanceof CompletionException c ? c : new CompletionException(earlier);
      }
      drain(target);
      return null;
    }, call.blocking);
    tail.whenCompleteAsync((ignored, failure) -> {
      if (failure != null && !finished) refuse(OciErrorResponder.unwrap(failure), false);
    }, call.ctx.executor());
  }

  /** Blocking executor: appends queued pieces in order until none is left. */
  private void drain(UploadWriter target) {
    while (true) {
      HttpContent next;
      synchronized (this) {
        next = pending.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      ByteBuf bytes = next.content();
      int length = bytes.readableBytes();
      try {
        if (length > 0) {
          for (ByteBuffer buffer : bytes.nioBuffers(bytes.readerIndex(), length)) target.append(buffer);
        }
      } catch (RuntimeException e) {
        discardPending();
        throw e;
      } finally {
        next.release();
      }
      CompletableFuture<Void> waiting = null;
      synchronized (this) {
        pendingBytes -= length;
        QUEUED_IN_PROCESS.addAndGet(-length);
        if (room != null && pendingBytes <= resumeAt) {
          waiting = room;
          room = null;
        }
      }
      if (waiting != null) waiting.complete(null);
    }
  }

  /** Releases every queued piece (after a failed append): reading resumes and what follows is refused. */
  private void discardPending() {
    CompletableFuture<Void> waiting;
    synchronized (this) {
      HttpContent next;
      while ((next = pending.poll()) != null) next.release();
      QUEUED_IN_PROCESS.addAndGet(-pendingBytes);
      pendingBytes = 0;
      draining = false;
      waiting = room;
      room = null;
    }
    if (waiting != null) waiting.complete(null);
  }

  /** After the last byte: make the chunk durable, or verify and publish the blob. Blocking executor. */
  private Reply finish() {
    finished = true;
    if (announced >= 0 && received != announced) {
      UploadStatus held = service.endChunk(writer);
      throw new RegistryException(OciErrorCode.SIZE_INVALID,
          "body of " + received + " bytes, Content-Range announced " + announced + "; upload holds " + held.offset(), null, 400);
    }
    if (kind == Kind.CHUNK) return UploadHandler.accepted(HttpResponseStatus.ACCEPTED, service.endChunk(writer));
    return UploadHandler.created(repository, service.completeUpload(writer, digest));
  }

  /**
   * Remembers a refusal and gives the session back. A refusal is answered once the body was drained when
   * the body is known to be small; otherwise (large, unknown length, or awaited with 100-continue) at once,
   * with the connection closed rather than the rest of the body read. A fault of ours always closes.
   */
  private void refuse(Throwable failure, boolean beforeBody) {
    refusal = failure instanceof RegistryException e ? e : null;
    releaseWriter();
    boolean small = !Call.hasBodyBeyond(call.request, DRAIN_LIMIT);
    boolean awaited = beforeBody && Call.expectsContinue(call.request);
    if (refusal == null || !small || awaited) {
      call.closeAfterReply();
      call.sendError(failure);
    }
  }

  private void releaseWriter() {
    UploadWriter held = writer;
    writer = null;
    if (held != null && !finished) {
      finished = true;
      // Pieces held below the batch size are appended as before: what was received stays in the session, which
      // a client may resume from its offset.
      if (claimDrainOfHeld()) startDrain(held);
      tail = tail.handleAsync((ignored, failure) -> {
        service.abandonWrite(held);
        return null;
      }, call.blocking);
    }
  }

  @Override
  public void abort() {
    aborted = true;
    releaseWriter();
  }
}
