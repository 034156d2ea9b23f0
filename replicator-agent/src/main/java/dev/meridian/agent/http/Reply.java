package dev.meridian.agent.http;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What a handler answers: a complete response, or a response head followed by a byte range of a blob sent
 * as a zero-copy file region. A handler builds it off the event loop; the dispatcher writes it on it.
 */
public sealed interface Reply {

  int status();

  /** A response whose body (possibly empty) is in memory. */
  record Full(FullHttpResponse response) implements Reply {
    public Full {
      requireNonNull(response, "response");
    }

    @Override
    public int status() {
      return response.status().code();
    }
  }

  /** A head, then {@code length} bytes of {@code content} from {@code position}; the content is closed after. */
  record File(HttpResponse head, BlobContent content, long position, long length) implements Reply {
    public File {
      requireNonNull(head, "head");
      requireNonNull(content, "content");
      if (position < 0 || length < 0) throw new IllegalArgumentException("negative range");
    }

    @Override
    public int status() {
      return head.status().code();
    }
  }
}
