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
import dev.meridian.core.oci.ManifestParser;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

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

  /** The longest a manifest PUT spends fetching the references it lacks, whatever their number. */
  static final Duration READ_THROUGH_BUDGET = Duration.ofSeconds(20);
  /** Missing references fetched for one PUT at most; beyond, it is refused as without read-through. */
  static final int MAX_FETCHED_REFERENCES = 64;
  /** Manifest PUTs reading through at once (each holds a blocking thread while it waits); more are refused at once. */
  static final int MAX_PUTS_READING_THROUGH = 4;

  private final Semaphore putsReadingThrough = new Semaphore(MAX_PUTS_READING_THROUGH);

  /**
   * Puts the manifest; when it references content this region lacks, that content is first fetched from a peer
   * that holds it (read-through) and the put is tried again. A client's blobs and its manifest can reach two regions:
   * a front door that puts a region back into routing between a client's last blob upload and its manifest PUT sends
   * them to different ones, and the manifest arrives before the blob's replication (milliseconds, but a client is
   * faster). Each missing reference is fetched as what its descriptor says it is: a manifest (an index's child) as a
   * whole image, complete before it is served, anything else as a blob. Bounded: at most
   * {@link #READ_THROUGH_BUDGET} and {@link #MAX_FETCHED_REFERENCES} per PUT, {@link #MAX_PUTS_READING_THROUGH} PUTs at
   * once. When the content cannot be fetched in time the answer is the first {@code MANIFEST_BLOB_UNKNOWN}, as
   * before. A peer's own request ({@code Meridian-Internal}) never reads through.
   */
  private PutManifestResult putReadingThrough(Call call, RepositoryName repository, Reference reference, MediaType mediaType,
      byte[] body) {
    try {
      return service.putManifest(repository, reference, mediaType, body);
    } catch (RegistryException refused) {
      if (refused.code() != OciErrorCode.MANIFEST_BLOB_UNKNOWN || Handlers.isInternal(call)) throw refused;
      if (!putsReadingThrough.tryAcquire()) throw refused;
      try {
        return putAfterFetching(repository, reference, mediaType, body, refused);
      } finally {
        putsReadingThrough.release();
      }
    }
  }

  private PutManifestResult putAfterFetching(RepositoryName repository, Reference reference, MediaType mediaType,
      byte[] body, RegistryException firstRefusal) {
    Map<Digest, Descriptor> references = references(mediaType, body);
    long deadline = System.nanoTime() + READ_THROUGH_BUDGET.toNanos();
    Set<Digest> fetched = new HashSet<>();
    RegistryException refused = firstRefusal;
    while (true) {
      Optional<Digest> missing = missingReference(refused);
      boolean fetchedNow = missing.isPresent() && fetched.add(missing.get()) && fetched.size() <= MAX_FETCHED_REFERENCES
          && System.nanoTime() < deadline && fetch(repository, missing.get(), references.get(missing.get()));
      if (!fetchedNow) throw firstRefusal;
      try {
        return service.putManifest(repository, reference, mediaType, body);
      } catch (RegistryException e) {
        if (e.code() != OciErrorCode.MANIFEST_BLOB_UNKNOWN) throw e;
        refused = e;
      }
    }
  }

  /** The manifest's references by digest (it parsed once already; should it not now, none are known). */
  private static Map<Digest, Descriptor> references(MediaType mediaType, byte[] body) {
    Map<Digest, Descriptor> byDigest = new HashMap<>();
    try {
      ManifestParser.parse(new ManifestBytes(body, mediaType)).references().forEach(d -> byDigest.putIfAbsent(d.digest(), d));
    } catch (RuntimeException e) {
      // fetched as blobs
    }
    return byDigest;
  }

  /** The digest a {@code MANIFEST_BLOB_UNKNOWN} names in its detail, if it names one. */
  private static Optional<Digest> missingReference(RegistryException e) {
    try {
      return Optional.ofNullable(e.detail()).map(Object::toString).map(Digest::parse);
    } catch (RuntimeException notADigest) {
      return Optional.empty();
    }
  }

  /** Fetches a reference from a peer as what its descriptor says it is; whether it is here now. */
  private boolean fetch(RepositoryName repository, Digest digest, Descriptor descriptor) {
    if (descriptor != null && descriptor.mediaType().isManifest()) {
      return readThrough.manifest(repository, new Reference.DigestReference(digest));
    }
    return readThrough.blob(repository, digest);
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
