package dev.meridian.agent.http;

import dev.meridian.agent.registry.MountOutcome;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.UploadStatus;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * {@code /v2/<name>/blobs/uploads/[<session>]}: POST starts an upload, mounts a blob from another repository
 * ({@code ?mount=&from=}) or takes a whole blob at once ({@code ?digest=}); GET tells where an upload stands;
 * PATCH appends a chunk; PUT appends an optional last chunk and completes; DELETE cancels. Bodies stream
 * through an {@link UploadExchange}, never gathered in memory.
 */
final class UploadHandler {
  private final RegistryService service;

  UploadHandler(RegistryService service) {
    this.service = service;
  }

  Exchange exchange(Call call) {
    return switch (call.method()) {
      case "POST" -> call.match.queryParam("digest").isPresent()
          ? new UploadExchange(call, service, UploadExchange.Kind.MONOLITHIC)
          : BufferedExchange.bodiless(call, body -> start(call));
      case "PATCH" -> new UploadExchange(call, service, UploadExchange.Kind.CHUNK);
      case "PUT" -> new UploadExchange(call, service, UploadExchange.Kind.COMPLETE);
      case "DELETE" -> BufferedExchange.bodiless(call, body -> cancel(call));
      default -> BufferedExchange.bodiless(call, body -> status(call));
    };
  }

  private Reply start(Call call) {
    RepositoryName repository = Handlers.repository(call);
    Optional<String> mount = call.match.queryParam("mount");
    if (mount.isPresent()) {
      Digest digest = Digest.parse(mount.get());
      Optional<RepositoryName> from = call.match.queryParam("from").map(RepositoryName::new);
      MountOutcome outcome = service.mount(repository, digest, from);
      if (outcome instanceof MountOutcome.Mounted mounted) return created(repository, mounted.blob());
      return accepted(HttpResponseStatus.ACCEPTED, ((MountOutcome.Started) outcome).upload());
    }
    return accepted(HttpResponseStatus.ACCEPTED, service.startUpload(repository));
  }

  private Reply status(Call call) {
    UploadStatus status = service.uploadStatus(Handlers.repository(call), call.match.requireParameter());
    return accepted(HttpResponseStatus.NO_CONTENT, status);
  }

  private Reply cancel(Call call) {
    service.cancelUpload(Handlers.repository(call), call.match.requireParameter());
    return new Reply.Full(Responses.empty(HttpResponseStatus.NO_CONTENT));
  }

  /** 202 (or 204) with where the upload stands. */
  static Reply accepted(HttpResponseStatus status, UploadStatus upload) {
    FullHttpResponse response = Responses.empty(status);
    addUploadHeaders(response, upload);
    return new Reply.Full(response);
  }

  /** 201 for a blob now linked in the repository. */
  static Reply created(RepositoryName repository, BlobInfo blob) {
    FullHttpResponse response = Responses.empty(HttpResponseStatus.CREATED);
    response.headers().set(HttpHeaderNames.LOCATION, "/v2/" + repository + "/blobs/" + blob.digest());
    response.headers().set(Responses.CONTENT_DIGEST, blob.digest().toString());
    return new Reply.Full(response);
  }

  /** {@code Location}, {@code Range} and {@code Docker-Upload-UUID}: what a client needs to continue. */
  static void addUploadHeaders(HttpResponse response, UploadStatus upload) {
    response.headers().set(HttpHeaderNames.LOCATION, "/v2/" + upload.repository() + "/blobs/uploads/" + upload.id());
    response.headers().set(HttpHeaderNames.RANGE, Responses.uploadRange(upload.offset()));
    response.headers().set(Responses.UPLOAD_UUID, upload.id().value());
  }
}
