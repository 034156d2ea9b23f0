package dev.meridian.agent.http;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.repair.RepairService;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * {@code /v2/<name>/blobs/<digest>}: GET (whole, or one {@code Range} as 206) sent as a zero-copy file
 * region, HEAD, and DELETE (unlinks the blob from the repository). A GET of a blob a peer serves but this region
 * does not yet is answered by read-through; a HEAD is answered from local content only. A GET from a peer
 * ({@code Meridian-Internal}) is hashed before it is sent: a corrupt blob is quarantined (see {@code Scrubber})
 * and answered {@code BLOB_UNKNOWN}, so a peer is never sent bytes that do not match their digest.
 */
final class BlobHandler {
  private final RegistryService service;
  private final ReadThrough readThrough;
  private final Optional<RepairService> repair;

  BlobHandler(RegistryService service, ReadThrough readThrough, Optional<RepairService> repair) {
    this.service = service;
    this.readThrough = readThrough;
    this.repair = repair;
  }

  Exchange exchange(Call call) {
    return switch (call.method()) {
      case "DELETE" -> BufferedExchange.bodiless(call, body -> delete(call));
      case "HEAD" -> BufferedExchange.bodiless(call, body -> head(call));
      default -> BufferedExchange.bodiless(call, body -> get(call));
    };
  }

  private Reply head(Call call) {
    Digest digest = Handlers.digestParameter(call);
    // No read-through for HEAD: pushing clients ask it of every blob they may skip, and a push must not wait on peers.
    BlobInfo info = service.statBlob(Handlers.repository(call), digest);
    FullHttpResponse response = Responses.empty(HttpResponseStatus.OK);
    describe(response.headers(), info);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, info.size());
    return new Reply.Full(response);
  }

  private Reply get(Call call) {
    RepositoryName repository = Handlers.repository(call);
    Digest digest = Handlers.digestParameter(call);
    if (repair.isPresent() && Handlers.isInternal(call)) {
      service.statBlob(repository, digest); // BLOB_UNKNOWN when not here, as a peer is answered anyway
      // Corrupt here: now quarantined, and to the peer simply not here, so it asks another region.
      if (!repair.get().verifyForPeer(digest)) throw RegistryException.blobUnknown(digest);
    }
    BlobContent content = Handlers.orReadThrough(call, () -> service.openBlob(repository, digest), () -> readThrough.blob(repository, digest));
    try {
      long size = content.info().size();
      Optional<ByteRanges.Inclusive> range;
      try {
        range = ByteRanges.parseRange(call.header(HttpHeaderNames.RANGE).orElse(null), size);
      } catch (RegistryException unsatisfiable) {
        FullHttpResponse refused = OciErrorResponder.toResponse(unsatisfiable);
        refused.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
        content.close();
        return new Reply.Full(refused);
      }
      HttpResponse head = new DefaultHttpResponse(
          HttpVersion.HTTP_1_1, range.isPresent() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
      head.headers().set(Responses.API_VERSION_HEADER, Responses.API_VERSION);
      describe(head.headers(), content.info());
      long position = range.map(ByteRanges.Inclusive::first).orElse(0L);
      long length = range.map(ByteRanges.Inclusive::length).orElse(size);
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
      range.ifPresent(r -> head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + r.first() + "-" + r.last() + "/" + size));
      return new Reply.File(head, content, position, length);
    } catch (RuntimeException e) {
      content.close();
      throw e;
    }
  }

  private static void describe(HttpHeaders headers, BlobInfo info) {
    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
    headers.set(Responses.CONTENT_DIGEST, info.digest().toString());
    headers.set(HttpHeaderNames.ETAG, "\"" + info.digest() + "\"");
    headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
  }

  private Reply delete(Call call) {
    service.deleteBlob(Handlers.repository(call), Handlers.digestParameter(call));
    return new Reply.Full(Responses.empty(HttpResponseStatus.ACCEPTED));
  }
}
