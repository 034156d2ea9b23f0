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
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload exchange on an {@link EmbeddedChannel}, with a blocking executor the test runs by hand: every
 * chunk reaches the disk before the next is read, reading stops while a write is pending, and nothing is
 * gathered in memory.
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
  void chunksReachTheUploadAsTheyArriveWithReadingPausedWhileEachIsWritten() {
    byte[] content = randomBytes(1, 3 * MIB);
    UploadStatus upload = fixture.service().startUpload(APP);
    HttpRequest patch = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PATCH, "/v2/app/blobs/uploads/" + upload.id());
    patch.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
    patch.headers().set(HttpHeaderNames.CONTENT_RANGE, "0-" + (content.length - 1));
    channel.writeInbound(patch);
    assertThat(channel.config().isAutoRead()).as("no reading while the session is being opened").isFalse();
    settle();
    assertThat(channel.config().isAutoRead()).isTrue();

    for (int i = 0; i < 3; i++) {
      ByteBuf chunk = Unpooled.wrappedBuffer(Arrays.copyOfRange(content, i * MIB, (i + 1) * MIB));
      channel.writeInbound(i < 2 ? new DefaultHttpContent(chunk) : new DefaultLastHttpContent(chunk));
      assertThat(channel.config().isAutoRead()).as("reading paused while chunk %d is written", i).isFalse();
      assertThat(offset(upload)).isEqualTo((long) i * MIB);
      settle();
      assertThat(chunk.refCnt()).as("chunk %d released once written", i).isZero();
      if (i < 2) {
        assertThat(offset(upload)).as("chunk %d on disk before the next arrives", i).isEqualTo((i + 1L) * MIB);
        assertThat((Object) channel.readOutbound()).as("no answer before the body ends").isNull();
      }
    }
    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(202);
    assertThat(response.headers().get(HttpHeaderNames.RANGE)).isEqualTo("0-" + (3 * MIB - 1));
    response.release();
    assertThat(channel.config().isAutoRead()).isTrue();
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
