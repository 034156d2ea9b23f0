package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Names, digests, upload ids and tags never reach the file system unvalidated: every path the blob store builds
 * comes from a {@code Digest} ({@code [a-f0-9]}) or an {@code UploadId} ({@code [A-Za-z0-9_-]}), and names and tags
 * are only keys in RocksDB. Each hostile value below, raw or percent-encoded, is refused with a 4xx and an OCI
 * error body, and nothing appears outside the store's own directories.
 */
class PathTraversalApiTest extends ApiTestBase {
  private static final List<String> HOSTILE = List.of(
      "..", "../..", "%2e%2e", "%2E%2E", ".%2e", "..%2f..%2fetc", "%2fetc%2fpasswd", "a%2f..%2f..%2fb", "%00", "a%00b",
      "%2e%2e%5c%2e%2e", "..\\..", "~root", "%252e%252e", "x".repeat(300), "%c0%ae%c0%ae", "%ff", "%zz", ".", "%20");

  @Test
  void hostileRepositoryNamesAreRefused() throws IOException {
    var soft = new SoftAssertions();
    for (String bad : HOSTILE) {
      for (String path : List.of("/v2/" + bad + "/tags/list", "/v2/" + bad + "/manifests/v1", "/v2/team/" + bad + "/blobs/uploads/",
          "/v2/" + bad + "/blobs/sha256:" + "a".repeat(64))) {
        String method = path.endsWith("uploads/") ? "POST" : "GET";
        expectRefused(soft, method + " " + path, raw(method, path));
      }
    }
    soft.assertAll();
    assertNothingOutsideTheStore();
  }

  @Test
  void hostileDigestsAreRefused() throws IOException {
    var soft = new SoftAssertions();
    String location = post("/v2/team/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
    for (String bad : HOSTILE) {
      for (String digest : List.of("sha256:" + bad, bad + ":" + "a".repeat(64), "sha256:" + "a".repeat(62) + bad)) {
        expectRefused(soft, "GET blob " + digest, raw("GET", "/v2/team/app/blobs/" + digest));
        expectRefused(soft, "GET referrers " + digest, raw("GET", "/v2/team/app/referrers/" + digest));
        expectRefused(soft, "PUT upload ?digest=" + digest, raw("PUT", location + "?digest=" + digest));
        expectRefused(soft, "POST mount from=" + digest, raw("POST", "/v2/team/app/blobs/uploads/?mount=" + digest + "&from=team/other"),
            201, 202);
      }
    }
    soft.assertAll();
    assertNothingOutsideTheStore();
  }

  @Test
  void hostileUploadIdsAreRefused() throws IOException {
    var soft = new SoftAssertions();
    for (String bad : HOSTILE) {
      String path = "/v2/team/app/blobs/uploads/" + bad;
      for (String method : List.of("GET", "PATCH", "PUT", "DELETE")) expectRefused(soft, method + " " + path, raw(method, path));
    }
    soft.assertAll();
    assertNothingOutsideTheStore();
  }

  @Test
  void hostileTagsAreRefused() throws IOException {
    var soft = new SoftAssertions();
    for (String bad : HOSTILE) {
      String path = "/v2/team/app/manifests/" + bad;
      for (String method : List.of("GET", "HEAD", "PUT", "DELETE")) expectRefused(soft, method + " " + path, raw(method, path));
    }
    soft.assertAll();
    assertNothingOutsideTheStore();
  }

  /** A refusal: 4xx (for a bodiless HEAD, any 4xx), with an OCI error body otherwise; or {@code allowed} statuses. */
  private static void expectRefused(SoftAssertions soft, String what, RawHttp.Response response, int... allowed) {
    for (int ok : allowed) if (response.status() == ok) return;
    soft.assertThat(response.status()).as(what + ": " + response.text()).isBetween(400, 499);
    if (!what.startsWith("HEAD")) soft.assertThat(response.text()).as(what).contains("\"errors\"");
  }

  private RawHttp.Response raw(String method, String path) throws IOException {
    try (var raw = new RawHttp(address())) {
      raw.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\n",
          new byte[] {'x'});
      return raw.read(method.equals("HEAD"));
    }
  }

  /** Everything the store holds lies under its own blobs/, uploads/ and tmp/ (no file escaped through a name). */
  private void assertNothingOutsideTheStore() throws IOException {
    Path root = fixture.blobsRoot();
    try (Stream<Path> files = Files.walk(dir.toAbsolutePath())) {
      List<Path> strays = files.filter(Files::isRegularFile)
          .filter(f -> !f.startsWith(root.resolve("blobs")) && !f.startsWith(root.resolve("uploads")) && !f.startsWith(root.resolve("tmp"))
              && !f.startsWith(fixture.stateDir()))
          .toList();
      assertThat(strays).isEmpty();
    }
    try (Stream<Path> files = Files.list(root.resolve("blobs"))) {
      assertThat(files.map(p -> p.getFileName().toString())).allMatch(name -> name.matches("sha256|sha512"));
    }
  }
}
