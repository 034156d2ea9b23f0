package dev.meridian.agent.http;

import dev.meridian.agent.registry.Page;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The listings: {@code /v2/<name>/tags/list} and {@code /v2/_catalog} (paginated with {@code n} and
 * {@code last}, a {@code Link: <...>; rel="next"} when more follow), and {@code /v2/<name>/referrers/<digest>}
 * (an image index, optionally filtered by {@code artifactType}).
 */
final class ListingHandler {
  private final RegistryService service;

  ListingHandler(RegistryService service) {
    this.service = service;
  }

  Exchange exchange(Call call) {
    return BufferedExchange.bodiless(call, body -> switch (call.match.route()) {
      case TAGS_LIST -> tags(call);
      case CATALOG -> catalog(call);
      default -> referrers(call);
    });
  }

  private Reply tags(Call call) {
    RepositoryName repository = Handlers.repository(call);
    int n = pageSize(call);
    Optional<Tag> last = call.match.queryParam("last").map(Tag::new);
    Page<Tag> page = service.listTags(repository, last, n);
    List<String> tags = page.items().stream().map(Tag::value).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", repository.value());
    body.put("tags", tags);
    FullHttpResponse response = Responses.json(HttpResponseStatus.OK, body);
    if (page.more()) link(response, "/v2/" + repository + "/tags/list", n, tags.get(tags.size() - 1));
    return new Reply.Full(response);
  }

  private Reply catalog(Call call) {
    int n = pageSize(call);
    Optional<RepositoryName> last = call.match.queryParam("last").map(RepositoryName::new);
    Page<RepositoryName> page = service.catalog(last, n);
    List<String> names = page.items().stream().map(RepositoryName::value).toList();
    FullHttpResponse response = Responses.json(HttpResponseStatus.OK, Map.of("repositories", names));
    if (page.more()) link(response, "/v2/_catalog", n, names.get(names.size() - 1));
    return new Reply.Full(response);
  }

  private static int pageSize(Call call) {
    Optional<String> n = call.match.queryParam("n");
    if (n.isEmpty()) return RegistryService.MAX_PAGE;
    try {
      return Integer.parseInt(n.get());
    } catch (NumberFormatException e) {
      throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "n is not a number", abbreviate(n.get()), 400);
    }
  }

  private static void link(FullHttpResponse response, String path, int n, String last) {
    String target = path + "?n=" + n + "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8);
    response.headers().set("Link", "<" + target + ">; rel=\"next\"");
  }

  private Reply referrers(Call call) {
    RepositoryName repository = Handlers.repository(call);
    Digest subject = Handlers.digestParameter(call);
    Optional<String> artifactType = call.match.queryParam("artifactType").filter(s -> !s.isEmpty());
    List<Descriptor> found = service.referrers(repository, subject, artifactType);
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaType.OCI_INDEX.value());
    index.put("manifests", found.stream().map(ListingHandler::descriptorJson).toList());
    FullHttpResponse response =
        Responses.bytes(HttpResponseStatus.OK, MediaType.OCI_INDEX.value(), Responses.toJson(index));
    if (artifactType.isPresent()) response.headers().set(Responses.OCI_FILTERS_APPLIED, "artifactType");
    return new Reply.Full(response);
  }

  static Map<String, Object> descriptorJson(Descriptor descriptor) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mediaType", descriptor.mediaType().value());
    json.put("digest", descriptor.digest().toString());
    json.put("size", descriptor.size());
    descriptor.artifactType().ifPresent(type -> json.put("artifactType", type));
    if (!descriptor.annotations().isEmpty()) json.put("annotations", descriptor.annotations());
    return json;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
