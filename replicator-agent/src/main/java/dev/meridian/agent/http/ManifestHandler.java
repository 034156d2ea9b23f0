package dev.meridian.agent.http;

import dev.meridian.agent.registry.PutManifestResult;
import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.agent.registry.StoredManifest;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.meridian.core.oci.Descriptor;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v2/<name>/manifests/<reference>}: GET and HEAD (with Accept negotiation), PUT (the body gathered
 * in memory, at most 4 MiB), DELETE by digest (the manifest) or by tag (the tag only).
 */
final class ManifestHandler {
  private final RegistryService service;
  private final ReadThrough readThrough;

  ManifestHandler(RegistryService service, ReadThrough readThrough) {
    this.service = service;
    this.readThrough = readThrough;
  }

  Exchange exchange(Call call) {
    return switch (call.method()) {
      case "PUT" -> BufferedExchange.upTo(call, ManifestBytes.MAX_SIZE, tooLarge(), body -> put(call, body));
      case "DELETE" -> BufferedExchange.bodiless(call, body -> delete(call));
      default -> BufferedExchange.bodiless(call, body -> get(call));
    };
  }

  private static RegistryException tooLarge() {
    return new RegistryException(
        OciErrorCode.MANIFEST_INVALID, "manifest larger than " + ManifestBytes.MAX_SIZE + " bytes", null, 413);
  }

  private Reply put(Call call, byte[] body) {
    RepositoryName repository = Handlers.repository(call);
    Reference reference = Reference.parse(call.match.requireParameter());
    String contentType = call.header(HttpHeaderNames.CONTENT_TYPE)
        .orElseThrow(() -> RegistryException.manifestInvalid("a manifest PUT needs a Content-Type"));
    PutManifestResult result = putReadingThrough(call, repository, reference, MediaType.parse(contentType), body);
    FullHttpResponse response = Responses.empty(HttpResponseStatus.CREATED);
    response.headers().set(HttpHeaderNames.LOCATION, "/v2/" + repository + "/manifests/" + result.digest());
    response.headers().set(Responses.CONTENT_DIGEST, result.digest().toString());
    result.subject().ifPresent(subject -> response.headers().set(Responses.OCI_SUBJECT, subject.toString()));
    return new Reply.Full(response);
  }

  /**
   * Puts the manifest; when it references content this region lacks, that content is first fetched from a peer
   * that holds it (read-through) and the put is tried once more. A client's blobs and its manifest can reach two
   * regions: a front door that puts a region back into routing between a client's last blob upload and its manifest
   * PUT sends them to different ones, and the manifest arrives before the blob's replication (milliseconds, but a
   * client is faster). Every missing reference is fetched at once, each as what its descriptor says it is
   * ({@link ReadThrough#references}, which bounds how many, how long and how many callers wait). When the content
   * cannot be fetched the answer is the first {@code MANIFEST_BLOB_UNKNOWN}, as without read-through. A peer's own
   * request ({@code Meridian-Internal}) never reads through.
   */
  private PutManifestResult putReadingThrough(Call call, RepositoryName repository, Reference reference, MediaType mediaType,
      byte[] body) {
    try {
      return service.putManifest(repository, reference, mediaType, body);
    } catch (RegistryException refused) {
      if (refused.code() != OciErrorCode.MANIFEST_BLOB_UNKNOWN || Handlers.isInternal(call)) throw refused;
      List<Descriptor> missing = service.missingReferences(repository, mediaType, body);
      // None missing now: the content arrived (replication) since the refusal, so one more try is all it takes.
      if (!missing.isEmpty() && !readThrough.references(repository, missing)) throw refused;
      try {
        return service.putManifest(repository, reference, mediaType, body);
      } catch (RegistryException again) {
        throw again.code() == OciErrorCode.MANIFEST_BLOB_UNKNOWN ? refused : again;
      }
    }
  }

  private Reply get(Call call) {
    RepositoryName repository = Handlers.repository(call);
    Reference reference = storedReference(call);
    StoredManifest manifest = Handlers.orReadThrough(call, () -> service.getManifest(repository, reference, !call.isHead()),
        () -> readThrough.manifest(repository, reference));
    ManifestRecord record = manifest.record();
    // Clients such as skopeo send one Accept header per media type: all of them count, not the first.
    String accept = String.join(",", call.request.headers().getAll(HttpHeaderNames.ACCEPT));
    checkAcceptable(Optional.of(accept).filter(a -> !a.isBlank()), record.mediaType(), reference);
    FullHttpResponse response =
        Responses.bytes(HttpResponseStatus.OK, record.mediaType().value(), manifest.bytes());
    // A HEAD carries the manifest's real length though no bytes follow.
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, record.size());
    response.headers().set(Responses.CONTENT_DIGEST, record.digest().toString());
    response.headers().set(HttpHeaderNames.ETAG, "\"" + record.digest() + "\"");
    return new Reply.Full(response);
  }

  /**
   * The reference of a GET, HEAD or DELETE. A tag that breaks the tag grammar cannot have been pushed, so it
   * names no manifest: 404 {@code MANIFEST_UNKNOWN}, as the conformance suite expects for
   * {@code .INVALID_MANIFEST_NAME}. Only a PUT answers such a tag {@code TAG_INVALID}.
   */
  static Reference storedReference(Call call) {
    String text = call.match.requireParameter();
    if (text.indexOf(':') < 0 && !Tag.isValid(text)) {
      throw RegistryException.manifestUnknown(text.length() > 140 ? text.substring(0, 140) + "..." : text);
    }
    return Reference.parse(text);
  }

  /**
   * Refuses a manifest whose type the client did not list in {@code Accept} (404, as distribution answers
   * for an OCI manifest to a client that does not accept OCI). No {@code Accept}, or a wildcard, takes anything.
   */
  static void checkAcceptable(Optional<String> accept, MediaType mediaType, Reference reference) {
    if (accept.isEmpty() || accept.get().isBlank()) return;
    for (String part : accept.get().split(",")) {
      int semicolon = part.indexOf(';');
      String type = (semicolon >= 0 ? part.substring(0, semicolon) : part).trim();
      if (type.equals("*/*") || type.equals("application/*") || type.equalsIgnoreCase(mediaType.value())) return;
    }
    throw new RegistryException(OciErrorCode.MANIFEST_UNKNOWN,
        "manifest is " + mediaType + ", which the Accept header does not list", reference.toString(), 404);
  }

  private Reply delete(Call call) {
    service.deleteManifest(Handlers.repository(call), storedReference(call));
    return new Reply.Full(Responses.empty(HttpResponseStatus.ACCEPTED));
  }
}
