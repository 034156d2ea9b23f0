package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The blob and upload endpoints end to end, over real sockets. */
class BlobApiTest extends ApiTestBase {

  @Test
  void versionCheckAndProbesAnswer() {
    HttpResponse<byte[]> base = get("/v2/");
    assertThat(base.statusCode()).isEqualTo(200);
    assertThat(base.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
    assertThat(readJson(get("/healthz").body()).get("status").asText()).isEqualTo("alive");
    HttpResponse<byte[]> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(readJson(ready.body()).get("region").asText()).isEqualTo("eastus");
  }

  @Test
  void chunkedUploadWalksStartPatchStatusAndPut() {
    byte[] content = randomBytes(1, 3 * 1024 * 1024 + 17);
    HttpResponse<byte[]> started = post("/v2/team/app/blobs/uploads/");
    assertThat(started.statusCode()).isEqualTo(202);
    assertThat(started.headers().firstValue("Range")).contains("0-0");
    String uuid = started.headers().firstValue("Docker-Upload-UUID").orElseThrow();
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo("/v2/team/app/blobs/uploads/" + uuid);

    int half = 2 * 1024 * 1024;
    HttpResponse<byte[]> chunk = patch(location, "0-" + (half - 1), Arrays.copyOfRange(content, 0, half));
    assertThat(chunk.statusCode()).isEqualTo(202);
    assertThat(chunk.headers().firstValue("Range")).contains("0-" + (half - 1));
    assertThat(chunk.headers().firstValue("Docker-Upload-UUID")).contains(uuid);

    HttpResponse<byte[]> status = get(location);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-" + (half - 1));

    // A chunk that does not continue the upload: 416, with what is held; nothing appended.
    HttpResponse<byte[]> outOfOrder = patch(location, "5-14", new byte[10]);
    assertError(outOfOrder, 416, "RANGE_INVALID");
    assertThat(outOfOrder.headers().firstValue("Range")).contains("0-" + (half - 1));
    assertThat(outOfOrder.headers().firstValue("Location")).contains(location);
    assertThat(get(location).headers().firstValue("Range")).contains("0-" + (half - 1));

    String digest = digest(content).toString();
    HttpResponse<byte[]> done = put(withDigest(location, digest), "application/octet-stream",
        Arrays.copyOfRange(content, half, content.length));
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(done.headers().firstValue("Location")).contains("/v2/team/app/blobs/" + digest);
    assertThat(done.headers().firstValue("Docker-Content-Digest")).contains(digest);

    HttpResponse<byte[]> headBlob = head("/v2/team/app/blobs/" + digest);
    assertThat(headBlob.statusCode()).isEqualTo(200);
    assertThat(headBlob.headers().firstValue("Content-Length")).contains(String.valueOf(content.length));
    assertThat(headBlob.headers().firstValue("Docker-Content-Digest")).contains(digest);
    HttpResponse<byte[]> body = get("/v2/team/app/blobs/" + digest);
    assertThat(body.statusCode()).isEqualTo(200);
    assertThat(body.body()).isEqualTo(content);
    assertError(get(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void patchWithoutContentRangeAppendsInOrder() {
    byte[] content = randomBytes(2, 100_000);
    String location = post("/v2/app/blobs/uploads").headers().firstValue("Location").orElseThrow();
    assertThat(patch(location, null, Arrays.copyOfRange(content, 0, 60_000)).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> second = patch(location, null, Arrays.copyOfRange(content, 60_000, 100_000));
    assertThat(second.headers().firstValue("Range")).contains("0-99999");
    HttpResponse<byte[]> done = put(withDigest(location, digest(content).toString()), null, new byte[0]);
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(get("/v2/app/blobs/" + digest(content)).body()).isEqualTo(content);
  }

  @Test
  void monolithicPostStoresTheBlobAndAWrongDigestStoresNothing() {
    byte[] content = randomBytes(3, 5000);
    HttpResponse<byte[]> ok = send(HttpRequest.newBuilder(uri("/v2/app/blobs/uploads/?digest=" + digest(content)))
        .POST(BodyPublishers.ofByteArray(content)).header("Content-Type", "application/octet-stream"));
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(ok.headers().firstValue("Docker-Content-Digest")).contains(digest(content).toString());

    byte[] other = randomBytes(4, 5000);
    String claimed = digest(randomBytes(5, 10)).toString();
    HttpResponse<byte[]> wrong = send(HttpRequest.newBuilder(uri("/v2/app/blobs/uploads/?digest=" + claimed))
        .POST(BodyPublishers.ofByteArray(other)));
    assertError(wrong, 400, "DIGEST_INVALID");
    assertThat(head("/v2/app/blobs/" + claimed).statusCode()).isEqualTo(404);
    assertError(get("/v2/app/blobs/" + claimed), 404, "BLOB_UNKNOWN");
    assertThat(head("/v2/app/blobs/" + digest(other)).statusCode()).isEqualTo(404);
  }

  @Test
  void putWithAMalformedDigestIsRefusedAndTheUploadStays() {
    String location = post("/v2/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
    patch(location, "0-2", new byte[] {1, 2, 3});
    assertError(put(location + "?digest=sha256:xyz", null, new byte[0]), 400, "DIGEST_INVALID");
    assertError(put(location, null, new byte[0]), 400, "DIGEST_INVALID");
    assertThat(get(location).headers().firstValue("Range")).contains("0-2");
  }

  @Test
  void rangeRequestsGetPartialContentAndUnsatisfiableRangesAre416() {
    byte[] content = randomBytes(6, 1000);
    String digest = pushBlob("app", content);
    HttpResponse<byte[]> part = send(HttpRequest.newBuilder(uri("/v2/app/blobs/" + digest)).header("Range", "bytes=100-199"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/1000");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    HttpResponse<byte[]> tail = send(HttpRequest.newBuilder(uri("/v2/app/blobs/" + digest)).header("Range", "bytes=990-"));
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 990, 1000));
    HttpResponse<byte[]> beyond = send(HttpRequest.newBuilder(uri("/v2/app/blobs/" + digest)).header("Range", "bytes=1000-"));
    assertError(beyond, 416, "RANGE_INVALID");
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */1000");
  }

  @Test
  void mountLinksFromARepositoryThatHasTheBlobElseStartsAnUpload() {
    byte[] content = randomBytes(7, 700);
    String digest = pushBlob("source", content);
    HttpResponse<byte[]> mounted = post("/v2/target/blobs/uploads/?mount=" + digest + "&from=source");
    assertThat(mounted.statusCode()).isEqualTo(201);
    assertThat(mounted.headers().firstValue("Location")).contains("/v2/target/blobs/" + digest);
    assertThat(head("/v2/target/blobs/" + digest).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> notThere = post("/v2/third/blobs/uploads/?mount=" + digest + "&from=nowhere");
    assertThat(notThere.statusCode()).isEqualTo(202);
    assertThat(notThere.headers().firstValue("Docker-Upload-UUID")).isPresent();
    assertThat(head("/v2/third/blobs/" + digest).statusCode()).isEqualTo(404);
  }

  @Test
  void deletingABlobUnlinksItFromThatRepositoryOnly() {
    byte[] content = randomBytes(8, 100);
    String digest = pushBlob("one", content);
    pushBlob("two", content);
    assertThat(delete("/v2/one/blobs/" + digest).statusCode()).isEqualTo(202);
    assertThat(head("/v2/one/blobs/" + digest).statusCode()).isEqualTo(404);
    assertError(get("/v2/one/blobs/" + digest), 404, "BLOB_UNKNOWN");
    assertThat(get("/v2/two/blobs/" + digest).body()).isEqualTo(content);
    assertError(delete("/v2/one/blobs/" + digest), 404, "BLOB_UNKNOWN");
  }

  @Test
  void cancelledUploadIsUnknownAfterwards() {
    String location = post("/v2/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
    assertThat(delete(location).statusCode()).isEqualTo(204);
    assertError(get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(patch(location, "0-2", new byte[3]), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void unknownUploadsBlobsAndBadDigestsAreAnsweredWithTheirCodes() {
    assertError(get("/v2/app/blobs/uploads/does-not-exist"), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(patch("/v2/app/blobs/uploads/does-not-exist", null, new byte[10]), 404, "BLOB_UPLOAD_UNKNOWN");
    assertThat(head("/v2/app/blobs/sha256:" + "0".repeat(64)).statusCode()).isEqualTo(404);
    assertError(get("/v2/app/blobs/sha256:" + "0".repeat(64)), 404, "BLOB_UNKNOWN");
    assertError(get("/v2/app/blobs/sha256:abc"), 400, "DIGEST_INVALID");
    assertError(get("/v2/app/blobs/md5:" + "0".repeat(32)), 400, "DIGEST_INVALID");
    assertError(post("/v2/app/blobs/uploads/?mount=nonsense&from=x"), 400, "DIGEST_INVALID");
  }

  @Test
  void contentRangeThatDisagreesWithContentLengthIsSizeInvalidAndAppendsNothing() {
    String location = post("/v2/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
    assertError(patch(location, "0-99", new byte[10]), 400, "SIZE_INVALID");
    assertThat(get(location).headers().firstValue("Range")).contains("0-0");
    assertError(patch(location, "9-0", new byte[10]), 416, "RANGE_INVALID");
    assertError(patch(location, "x-y", new byte[10]), 400, "BLOB_UPLOAD_INVALID");
    assertThat(patch(location, "0-9", new byte[10]).statusCode()).isEqualTo(202);
  }

  @Test
  void methodsAndPathsOutsideTheApiAreRefused() {
    HttpResponse<byte[]> wrongMethod = send(HttpRequest.newBuilder(uri("/v2/app/tags/list")).DELETE());
    assertError(wrongMethod, 405, "UNSUPPORTED");
    assertError(get("/v3/whatever"), 404, "UNSUPPORTED");
  }
}
