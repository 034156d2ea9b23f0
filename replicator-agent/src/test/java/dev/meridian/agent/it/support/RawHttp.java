package dev.meridian.agent.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a bare socket, for requests no well-behaved client sends: a path with {@code ..} or
 * {@code //} left as is, a body shorter or longer than its Content-Length.
 *
 * <p>Reads exactly one response (status line, headers, a Content-Length body). A connection closed before
 * any answer is a result ({@link Response#answered()} false), not an error; a server that neither answers
 * nor closes within the timeout fails the test.
 */
public final class RawHttp {
  private static final int TIMEOUT_MILLIS = 30_000;

  private RawHttp() {}

  /** One response, or none if the server closed the connection first. Header names are lower case. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public boolean answered() {
      return status > 0;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return answered() ? status + " " + headers + " " + bodyText() : "(connection closed without an answer)";
    }
  }

  /**
   * Sends {@code head} (request line and headers, without the blank line) and {@code body}, then, if
   * {@code closeOutput}, half-closes the connection as a client that gave up sending would.
   */
  public static Response exchange(int port, String head, byte[] body, boolean closeOutput) {
    try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      var out = socket.getOutputStream();
      // The admin's credentials unless the test sends its own (or, with "Authorization: none", none at all); a
      // request marked Meridian-Internal (what a peer sends) gets the fleet credential, as a peer's has.
      String lower = head.toLowerCase(Locale.ROOT);
      String auth = lower.contains("\r\nauthorization:") ? "" : "\r\nAuthorization: "
          + (lower.contains("\r\nmeridian-internal:") ? TestCredentials.fleetAuthorization() : TestCredentials.authorization());
      String sent = head.replace("\r\nAuthorization: none", "");
      out.write((sent + auth + "\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      if (closeOutput) socket.shutdownOutput();
      return read(socket.getInputStream(), head);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer and no close within " + TIMEOUT_MILLIS + " ms for: " + head, e);
    } catch (IOException e) {
      // A reset after the server gave up on us is the same outcome as a close.
      return new Response(0, Map.of(), new byte[0]);
    }
  }

  /** A request without a body. */
  public static Response exchange(int port, String head) {
    return exchange(port, head, new byte[0], false);
  }

  private static Response read(InputStream in, String head) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) return new Response(0, Map.of(), new byte[0]);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new AssertionError("not an HTTP status line: " + statusLine + " (request: " + head + ")");
    }
    var headers = new TreeMap<String, String>();
    for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = head.startsWith("HEAD ") ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(Integer.parseInt(parts[1]), headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') return line.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  public static Optional<String> header(Response response, String name) {
    return Optional.ofNullable(response.headers().get(name.toLowerCase(Locale.ROOT)));
  }
}
