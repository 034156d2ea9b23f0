package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.registry.RegistryFixture;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.core.oci.RepositoryName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload exchange on an {@link EmbeddedChannel}, with a blocking executor the test runs by hand: chunks
 * are queued while reading goes on and appended in order by one task, reading stops once the high-water mark
 * waits to be written, and nothing beyond it is gathered in memory.
 */
class UploadStreamingTest {
  private static final RepositoryName APP = new RepositoryName("app");
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private RegistryFixture fixture;
  private final ArrayDeque<Runnable> blockingTasks = new ArrayDeque<>();
  private EmbeddedChannel channel;

  @BeforeEach
  void open() {
    fixture = new RegistryFixture(dir);
    Handlers handlers = new Handlers(fixture.service(), () -> true);
    channel = new EmbeddedChannel(new RequestDispatcher(new Router(), handlers, blockingTasks::add));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    fixture.close();
  }

  /** Runs queued blocking work and event-loop tasks until both are idle. */
  private void settle() {
    do {
      Runnable task;
      while ((task = blockingTasks.poll()) != null) task.run();
      channel.runPendingTasks();
    } while (!blockingTasks.isEmpty());
  }

  private long offset(UploadStatus upload) {
    return fixture.service().uploadStatus(APP, upload.id().value()).offset();
  }

  @Test
  void chunksAreQueuedWhileReadingGoesOnAndOneTaskAppendsThemInOrder() {
    byte[] content = randomBytes(1, 3 * MIB);
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
    patch.headers().set(HttpHeaderNames.CONTENT_RANGE, "0-" + (content.length - 1));
    channel.writeInbound(patch);
    assertThat(channel.config().isAutoRead()).as("no reading while the session is being opened").isFalse();
    settle();
    assertThat(channel.config().isAutoRead()).isTrue();

    var chunks = new ArrayList<ByteBuf>();
    for (int i = 0; i < 2; i++) {
      ByteBuf chunk = Unpooled.wrappedBuffer(Arrays.copyOfRange(content, i * MIB, (i + 1) * MIB));
      chunks.add(chunk);
      channel.writeInbound(new DefaultHttpContent(chunk));
      assertThat(channel.config().isAutoRead()).as("reading goes on below the high-water mark (chunk %d)", i).isTrue();
    }
    assertThat(blockingTasks).as("one task appends the queued chunks").hasSize(1);
    assertThat(offset(upload)).as("nothing written before that task runs").isZero();
    settle();
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.refCnt()).as("released once written").isZero());
    assertThat(offset(upload)).isEqualTo(2L * MIB);
    assertThat((Object) channel.readOutbound()).as("no answer before the body ends").isNull();

    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(Arrays.copyOfRange(content, 2 * MIB, 3 * MIB))));
    assertThat(channel.config().isAutoRead()).as("no reading until the last chunk is answered").isFalse();
    settle();
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(202);
    assertThat(response.headers().get(HttpHeaderNames.RANGE)).isEqualTo("0-" + (3 * MIB - 1));
    response.release();
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(offset(upload)).isEqualTo(3L * MIB);
  }

  @Test
  void aPieceHeldBelowTheBatchSizeIsHandedOnAfterAShortWaitWhenNoMoreArrives() {
    channel.freezeTime();
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, 10_000);
    channel.writeInbound(patch);
    settle();
    long before = UploadExchange.queuedInProcess();
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(randomBytes(3, 700))));
    assertThat(blockingTasks).as("held for a batch").isEmpty();
    assertThat(UploadExchange.queuedInProcess()).isEqualTo(before + 700);

    channel.advanceTimeBy(UploadExchange.HOLD_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(blockingTasks).as("the client stalled: handed on anyway").hasSize(1);
    settle();
    assertThat(offset(upload)).isEqualTo(700);
    assertThat(UploadExchange.queuedInProcess()).as("nothing left counted against the process").isEqualTo(before);
  }

  @Test
  void smallReadsAreHandedToTheWriterABatchAtATimeNotOneTaskEach() {
    channel.freezeTime();
    int piece = 16 * 1024;
    int perBatch = (int) (UploadExchange.DRAIN_BATCH / piece);
    byte[] content = randomBytes(5, 2 * perBatch * piece + 100);
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
    channel.writeInbound(patch);
    settle();

    for (int i = 0; i < perBatch - 1; i++) {
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(content, i * piece, piece)));
    }
    assertThat(blockingTasks).as("below a batch, no hand-off yet").isEmpty();
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(content, (perBatch - 1) * piece, piece)));
    assertThat(blockingTasks).as("a batch queued: one task").hasSize(1);
    settle();
    assertThat(offset(upload)).isEqualTo((long) perBatch * piece);

    for (int i = perBatch; i < 2 * perBatch; i++) {
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(content, i * piece, piece)));
    }
    channel.writeInbound(new DefaultLastHttpContent(
        Unpooled.wrappedBuffer(content, 2 * perBatch * piece, content.length - 2 * perBatch * piece)));
    settle();
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(202);
    response.release();
    assertThat(offset(upload)).isEqualTo(content.length);
  }

  @Test
  void readingPausesOnceTheHighWaterMarkWaitsToBeWrittenAndResumesWhenTheWriterCaughtUp() {
    int chunks = (int) (UploadExchange.HIGH_WATER / MIB) + 1;
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, (long) chunks * MIB);
    channel.writeInbound(patch);
    settle();
    for (int i = 0; i < chunks - 1; i++) {
      assertThat(channel.config().isAutoRead()).as("reading before chunk %d", i).isTrue();
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(randomBytes(10 + i, MIB))));
    }
    assertThat(channel.config().isAutoRead()).as("paused with %d MiB waiting to be written", chunks - 1).isFalse();
    settle();
    assertThat(channel.config().isAutoRead()).as("reading again once written").isTrue();
    assertThat(offset(upload)).isEqualTo((chunks - 1L) * MIB);
    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(randomBytes(99, MIB))));
    settle();
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(202);
    response.release();
    assertThat(offset(upload)).isEqualTo((long) chunks * MIB);
  }

  @Test
  void manyUploadsTogetherPauseOnceTheProcessWideBudgetIsQueuedThoughEachIsBelowItsOwnMark() {
    Handlers handlers = new Handlers(fixture.service(), () -> true);
    byte[] piece = randomBytes(7, MIB);
    var channels = new ArrayList<EmbeddedChannel>();
    try {
      EmbeddedChannel paused = null;
      // Each upload queues less than its own high-water mark; together they pass the process-wide budget.
      while (paused == null) {
        assertThat(channels).as("the budget is reached within a bounded number of uploads").hasSizeLessThan(
            (int) (UploadExchange.PROCESS_HIGH_WATER / MIB) + 2);
        UploadStatus upload = fixture.service().startUpload(APP);
        var next = new EmbeddedChannel(new RequestDispatcher(new Router(), handlers, blockingTasks::add));
        channels.add(next);
        HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
        patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, 4L * MIB);
        next.writeInbound(patch);
        blockingTasks.pollLast().run(); // opens this session only: the other uploads' appends stay queued
        next.runPendingTasks();
        for (int i = 0; i < 3 && next.config().isAutoRead(); i++) {
          boolean over = UploadExchange.queuedInProcess() > UploadExchange.PROCESS_HIGH_WATER;
          next.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(piece)));
          if (!next.config().isAutoRead()) {
            assertThat(over || UploadExchange.queuedInProcess() > UploadExchange.PROCESS_HIGH_WATER)
                .as("paused below its own high-water mark only because of the process-wide budget").isTrue();
            paused = next;
          }
        }
      }
      assertThat(blockingTasks).as("nothing was appended while the uploads queued").isNotEmpty();
      Runnable task;
      while ((task = blockingTasks.poll()) != null) task.run();
      for (EmbeddedChannel channel : channels) channel.runPendingTasks();
      assertThat(paused.config().isAutoRead()).as("reading again once its queue was written").isTrue();
      assertThat(UploadExchange.queuedInProcess()).isLessThanOrEqualTo(UploadExchange.PROCESS_HIGH_WATER);
    } finally {
      channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
  }

  @Test
  void contentArrivingBeforeTheSessionIsOpenWaitsInOrder() {
    byte[] content = randomBytes(2, 1000);
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest put = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT,
        "/v2/app/blobs/uploads/" + upload.id() + "?digest=" + digest(content));
    put.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
    // Head and body in one read, as a fast client sends them: all queued while the session opens.
    channel.writeInbound(put,
        new DefaultHttpContent(Unpooled.wrappedBuffer(content, 0, 400)),
        new DefaultLastHttpContent(Unpooled.wrappedBuffer(content, 400, 600)));
    settle();
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(201);
    assertThat(response.headers().get("Docker-Content-Digest")).isEqualTo(digest(content).toString());
    response.release();
    assertThat(fixture.service().statBlob(APP, digest(content)).size()).isEqualTo(1000);
  }

  @Test
  void droppedConnectionMidUploadFreesTheSessionAndKeepsWhatWasWritten() {
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2000);
    channel.writeInbound(patch, new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[700])));
    settle();
    channel.close();
    settle();
    assertThat(offset(upload)).isEqualTo(700);
    fixture.service().endChunk(fixture.service().beginWrite(APP, upload.id().value(), java.util.OptionalLong.of(700)));
  }
}
