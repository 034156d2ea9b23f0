package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.registry.RegistryFixture;
import dev.meridian.agent.registry.UploadRangeException;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciErrorResponderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode firstError(FullHttpResponse response) throws Exception {
    JsonNode body = JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
    assertThat(body.get("errors")).hasSize(1);
    return body.get("errors").get(0);
  }

  @Test
  void registryExceptionBecomesItsCodeStatusMessageAndDetail() throws Exception {
    FullHttpResponse response = OciErrorResponder.toResponse(
        new RegistryException(OciErrorCode.MANIFEST_INVALID, "too big", Map.of("limit", 4), 413));
    assertThat(response.status().code()).isEqualTo(413);
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(response.headers().get("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    JsonNode error = firstError(response);
    assertThat(error.get("code").asText()).isEqualTo("MANIFEST_INVALID");
    assertThat(error.get("message").asText()).isEqualTo("too big");
    assertThat(error.get("detail").get("limit").asInt()).isEqualTo(4);
  }

  @Test
  void wrappedAnswersAreUnwrapped() throws Exception {
    FullHttpResponse response = OciErrorResponder.toResponse(new CompletionException(RegistryException.nameUnknown("x")));
    assertThat(response.status().code()).isEqualTo(404);
    assertThat(firstError(response).get("code").asText()).isEqualTo("NAME_UNKNOWN");
  }

  @Test
  void unexpectedFailureIs500WithoutItsMessageOrStack() throws Exception {
    FullHttpResponse response = OciErrorResponder.toResponse(new IllegalStateException("secret path /var/lib/x"));
    assertThat(response.status().code()).isEqualTo(500);
    String body = response.content().toString(StandardCharsets.UTF_8);
    assertThat(body).doesNotContain("secret").doesNotContain("IllegalStateException").doesNotContain("at dev.");
    assertThat(firstError(response).get("code").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void rangeRefusalTellsWhatTheUploadHolds() {
    UploadStatus status = new UploadStatus(new RepositoryName("app"), new UploadId("abc"), 10);
    FullHttpResponse response = OciErrorResponder.toResponse(new UploadRangeException(status, "out of order"));
    assertThat(response.status().code()).isEqualTo(416);
    assertThat(response.headers().get(HttpHeaderNames.RANGE)).isEqualTo("0-9");
    assertThat(response.headers().get(HttpHeaderNames.LOCATION)).isEqualTo("/v2/app/blobs/uploads/abc");
    assertThat(response.headers().get("Docker-Upload-UUID")).isEqualTo("abc");
  }

  @Test
  void aBrokenStoreIsAnsweredOnTheChannelAs500AndTheConnectionLives(@TempDir Path dir) throws Exception {
    RegistryFixture fixture = new RegistryFixture(dir);
    EmbeddedChannel channel = new EmbeddedChannel(
        new RequestDispatcher(new Router(), new Handlers(fixture.service(), () -> true), Runnable::run));
    try {
      fixture.state().close(); // every state read now fails with a store exception, not an answer
      channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/app/tags/list"));
      channel.runPendingTasks();
      FullHttpResponse failed = channel.readOutbound();
      assertThat(failed.status().code()).isEqualTo(500);
      assertThat(firstError(failed).get("code").asText()).isEqualTo("UNKNOWN");
      failed.release();

      channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/Bad/tags/list"));
      channel.runPendingTasks();
      FullHttpResponse refused = channel.readOutbound();
      assertThat(refused.status().code()).isEqualTo(400);
      assertThat(firstError(refused).get("code").asText()).isEqualTo("NAME_INVALID");
      refused.release();
      assertThat(channel.isActive()).isTrue();
    } finally {
      channel.finishAndReleaseAll();
      fixture.blobs().close();
    }
  }
}
