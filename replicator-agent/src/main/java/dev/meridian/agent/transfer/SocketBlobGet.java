package dev.meridian.agent.transfer;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One blob GET to a plain-http peer on a connection of its own, whose body is then read from the socket straight into
 * the copy's buffer ({@link SocketBody}). It exists for speed: the JDK client reads a body on its selector thread into
 * heap buffers and hands them over one by one, which cost a catch-up copy about a sixth of its CPU and two copies of
 * every byte. It asks {@code Connection: close}: a large blob's transfer outweighs one connection set-up, and a
 * connection that is never reused cannot be left in a bad state.
 *
 * <p>It speaks only the little HTTP/1.1 that a blob response needs: a status line, header fields and a body of
 * {@code Content-Length}. The caller gives anything else (a redirect, a chunked body) to the JDK client.
 */
final class SocketBlobGet {
  private SocketBlobGet() {}

  /** The peer's answer: its head, and its body (empty for HEAD-like answers the caller does not read). */
  record Answer(ResponseHead head, SocketBody body) {}

  /**
   * Whether {@code uri} can be asked this way: plain http, no user info, and reached directly by {@code proxies} (the
   * JDK client's proxy selector: its own, or the default one, {@code -Dhttp.proxyHost} say); this one connects
   * directly only.
   */
  static boolean supports(URI uri, ProxySelector proxies) {
    if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("http")
        || uri.getRawUserInfo() != null || uri.getHost() == null) {
      return false;
    }
    return proxies == null || proxies.select(uri).stream().allMatch(proxy -> proxy.type() == Proxy.Type.DIRECT);
  }

  /**
   * Sends {@code GET uri} with {@code fields}, waits for the head up to {@code answerTimeout}, and returns it with the
   * body, whose reads each wait up to {@code readTimeout}. The body must be closed. While the request runs, {@code
   * aborts} can fail it at once.
   *
   * @throws IOException the connection failed, timed out, was aborted, or the answer is not HTTP/1.1 as expected
   */
  static Answer get(URI uri, Map<String, String> fields, Duration connectTimeout, Duration answerTimeout,
      Duration readTimeout, ReadTimeouts aborts) throws IOException {
    if (!supports(uri, null)) throw new IllegalArgumentException("not a plain http URI: " + uri);
    byte[] request = request(uri, fields);
    SocketChannel channel = SocketChannel.open();
    Selector selector;
    try {
      selector = Selector.open();
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    // Closing the channel alone does not wake a select in progress (the key's cancellation waits for it), so the
    // selector is woken too: after the close, so that a reader woken early cannot select again on an open channel.
    ReadTimeouts.Watch watch = aborts.watch(() -> {
      closeQuietly(channel);
      selector.wakeup();
    });
    try {
      int port = uri.getPort() == -1 ? 80 : uri.getPort();
      int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
      channel.socket().connect(new InetSocketAddress(uri.getHost(), port), connectMillis);
      channel.write(ByteBuffer.wrap(request)); // blocking: a few hundred bytes into an empty send buffer
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      Head head = readHead(channel, selector, answerTimeout.toNanos());
      int status = head.head().status();
      // Only a blob's body is read; the length of an error's is not the caller's business (nor a reason to fail).
      long length = status == 200 || status == 206 ? head.head().contentLength().orElse(0) : 0;
      ByteBuffer early = ByteBuffer.wrap(head.bytes(), head.head().length(), head.end() - head.head().length());
      if (early.remaining() > length) early.limit(early.position() + (int) length); // bytes past the body: ignored
      return new Answer(head.head(), new SocketBody(channel, selector, early, length, readTimeout.toNanos(), watch::close));
    } catch (IOException | RuntimeException e) {
      watch.close();
      closeQuietly(channel);
      closeQuietly(selector);
      throw e;
    }
  }

  private record Head(ResponseHead head, byte[] bytes, int end) {}

  /** Reads until the head's blank line, growing the buffer as needed; whatever came after it is the body's start. */
  private static Head readHead(SocketChannel channel, Selector selector, long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    byte[] bytes = new byte[8 * 1024];
    int end = 0;
    while (true) {
      if (end == bytes.length) bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, ResponseHead.MAX_LENGTH));
      int n = channel.read(ByteBuffer.wrap(bytes, end, bytes.length - end));
      if (n < 0) throw new ProtocolException("peer closed the connection before the end of the response head");
      end += n;
      Optional<ResponseHead> head = ResponseHead.parse(bytes, end);
      if (head.isPresent()) return new Head(head.get(), bytes, end);
      if (n > 0) continue;
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new SocketTimeoutException("no answer from peer in " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      if (!channel.isOpen()) throw new IOException("transfer stopped");
      SocketBody.failIfInterrupted();
    }
  }

  /**
   * The request's bytes. A field whose name is not a token or whose value holds a control character (a line break
   * would end the head early) or a character beyond Latin-1 is refused, as the JDK client refuses it.
   */
  static byte[] request(URI uri, Map<String, String> fields) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder out = new StringBuilder(256)
        .append("GET ").append(path).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
        .append("Connection: close\r\n");
    fields.forEach((name, value) -> {
      if (name.isEmpty() || !ResponseHead.isToken(name, 0, name.length()) || !ResponseHead.isFieldValue(value)
          || value.chars().anyMatch(c -> c > 0xff)) {
        throw new IllegalArgumentException("header field " + name + " cannot be sent");
      }
      out.append(name).append(": ").append(value).append("\r\n");
    });
    return out.append("\r\n").toString().getBytes(ISO_8859_1);
  }

  /** Closes, ignoring a failure: what follows a failure is the first failure's to report, or nothing's. */
  static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // nothing to report: see above
    }
  }
}
