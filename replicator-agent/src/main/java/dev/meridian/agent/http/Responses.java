package dev.meridian.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Builders for the responses every handler sends, with the headers every response carries. */
final class Responses {
  static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
  static final String API_VERSION = "registry/2.0";
  static final String CONTENT_DIGEST = "Docker-Content-Digest";
  static final String UPLOAD_UUID = "Docker-Upload-UUID";
  static final String OCI_SUBJECT = "OCI-Subject";
  static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";
  static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static FullHttpResponse empty(HttpResponseStatus status) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response.headers().set(API_VERSION_HEADER, API_VERSION);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return response;
  }

  static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(API_VERSION_HEADER, API_VERSION);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  static FullHttpResponse json(HttpResponseStatus status, Object body) {
    return bytes(status, "application/json", toJson(body));
  }

  static byte[] toJson(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response body", e);
    }
  }

  /** {@code 0-<n-1>}: the inclusive range of bytes an upload holds; {@code 0-0} when it holds none, as distribution says. */
  static String uploadRange(long offset) {
    return "0-" + Math.max(0, offset - 1);
  }
}
