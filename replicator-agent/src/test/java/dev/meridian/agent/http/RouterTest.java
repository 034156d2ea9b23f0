package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router();

  private RouteMatch match(String target) {
    return router.match(target).orElseThrow(() -> new AssertionError("no route for " + target));
  }

  @Test
  void replicationsRoutesCarryTheRegionAsTheirParameter() {
    assertThat(match("/admin/v1/replications").route()).isEqualTo(Route.ADMIN_REPLICATIONS);
    RouteMatch one = match("/admin/v1/replications/northeu");
    assertThat(one.route()).isEqualTo(Route.ADMIN_REPLICATION);
    assertThat(one.parameter()).contains("northeu");
    assertThat(router.match("/admin/v1/replications/northeu/extra")).isEmpty();
    assertThat(match("/admin/v1/replication/status").route()).isEqualTo(Route.ADMIN_REPLICATION_STATUS);
    assertThat(Router.methods(Route.ADMIN_REPLICATION)).containsExactlyInAnyOrder("GET", "PUT", "PATCH", "DELETE");
  }

  @Test
  void baseRouteMatchesWithAndWithoutTrailingSlash() {
    assertThat(match("/v2/").route()).isEqualTo(Route.BASE);
    assertThat(match("/v2").route()).isEqualTo(Route.BASE);
  }

  @Test
  void manifestRouteKeepsSlashesInTheName() {
    RouteMatch m = match("/v2/a/b/c/manifests/tag");
    assertThat(m.route()).isEqualTo(Route.MANIFEST);
    assertThat(m.name()).contains("a/b/c");
    assertThat(m.parameter()).contains("tag");
  }

  @Test
  void blobUploadAndReferrerRoutesAreTellApart() {
    String d = "sha256:" + "a".repeat(64);
    assertThat(match("/v2/team/app/blobs/" + d).route()).isEqualTo(Route.BLOB);
    assertThat(match("/v2/team/app/blobs/uploads/").route()).isEqualTo(Route.UPLOAD_START);
    assertThat(match("/v2/team/app/blobs/uploads").route()).isEqualTo(Route.UPLOAD_START);
    RouteMatch upload = match("/v2/team/app/blobs/uploads/abc-123");
    assertThat(upload.route()).isEqualTo(Route.UPLOAD);
    assertThat(upload.name()).contains("team/app");
    assertThat(upload.parameter()).contains("abc-123");
    RouteMatch referrers = match("/v2/team/app/referrers/" + d + "?artifactType=application%2Fvnd.example");
    assertThat(referrers.route()).isEqualTo(Route.REFERRERS);
    assertThat(referrers.queryParam("artifactType")).contains("application/vnd.example");
  }

  @Test
  void repositoryNamedLikeARouteKeywordStillRoutesByItsEnd() {
    RouteMatch m = match("/v2/manifests/blobs/manifests/v1");
    assertThat(m.route()).isEqualTo(Route.MANIFEST);
    assertThat(m.name()).contains("manifests/blobs");
    assertThat(match("/v2/tags/tags/list").name()).contains("tags");
  }

  @Test
  void tagsCatalogAndProbesMatchWithTheirQueries() {
    RouteMatch tags = match("/v2/app/tags/list?n=2&last=v1");
    assertThat(tags.route()).isEqualTo(Route.TAGS_LIST);
    assertThat(tags.queryParam("n")).contains("2");
    assertThat(tags.queryParam("last")).contains("v1");
    assertThat(match("/v2/_catalog?n=10").route()).isEqualTo(Route.CATALOG);
    assertThat(match("/healthz").route()).isEqualTo(Route.HEALTHZ);
    assertThat(match("/readyz").route()).isEqualTo(Route.READYZ);
  }

  @Test
  void pathSegmentsArePercentDecodedOneByOne() {
    RouteMatch m = match("/v2/team%2Dx/app/manifests/v%31");
    assertThat(m.name()).contains("team-x/app");
    assertThat(m.parameter()).contains("v1");
    // An encoded slash stays inside its segment: the name keeps it, and name validation refuses it later.
    assertThat(match("/v2/a%2Fb/manifests/v1").name()).contains("a/b");
    assertThat(match("/v2/a%2Fb/manifests/v1").route()).isEqualTo(Route.MANIFEST);
  }

  @Test
  void plusIsASpaceOnlyInTheQuery() {
    RouteMatch m = match("/v2/a+b/manifests/t?last=x+y");
    assertThat(m.name()).contains("a+b");
    assertThat(m.queryParam("last")).contains("x y");
  }

  @Test
  void emptyNameComponentsReachTheHandlerForValidation() {
    assertThat(match("/v2/a//b/manifests/v1").name()).contains("a//b");
    assertThat(match("/v2//manifests/v1").name()).contains("");
  }

  @Test
  void repeatedQueryParametersKeepEveryValueInOrder() {
    RouteMatch m = match("/v2/app/blobs/uploads/?mount=x&from=a&from=b&flag");
    assertThat(m.query().get("from")).isEqualTo(List.of("a", "b"));
    assertThat(m.queryParam("flag")).contains("");
    assertThat(m.queryParam("absent")).isEqualTo(Optional.empty());
  }

  @Test
  void unknownShapesDoNotMatch() {
    assertThat(router.match("/")).isEmpty();
    assertThat(router.match("/v1/app/manifests/x")).isEmpty();
    assertThat(router.match("/v2/app")).isEmpty();
    assertThat(router.match("/v2/app/unknown/x")).isEmpty();
    assertThat(router.match("/v2/app/tags/other")).isEmpty();
  }

  @Test
  void malformedPercentEscapesAreNameInvalid() {
    assertThatThrownBy(() -> router.match("/v2/a%zz/manifests/v1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(OciErrorCode.NAME_INVALID);
          assertThat(e.httpStatus()).isEqualTo(400);
        });
    assertThatThrownBy(() -> router.match("/v2/a/manifests/v1%"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> router.match("/v2/a/tags/list?n=%G1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }

  @Test
  void multiByteCharactersSurviveDecoding() {
    assertThat(Router.percentDecode("%C3%A9\uD83D\uDE00x", false)).isEqualTo("é\uD83D\uDE00x");
  }

  @Test
  void everyRouteDeclaresItsMethods() {
    for (Route route : Route.values()) assertThat(Router.methods(route)).isNotEmpty();
    assertThat(Router.methods(Route.UPLOAD)).contains("PATCH", "PUT", "GET", "DELETE");
  }

  @Test
  void repairRoutesAreMatchedAndARepositoryNameKeepsItsSlashes() {
    assertThat(match("/admin/v1/scrub").route()).isEqualTo(Route.ADMIN_SCRUB);
    assertThat(match("/admin/v1/antientropy").route()).isEqualTo(Route.ADMIN_ANTI_ENTROPY);
    assertThat(match("/admin/v1/antientropy/summary").route()).isEqualTo(Route.ADMIN_ANTI_ENTROPY_SUMMARY);
    RouteMatch registers = match("/admin/v1/antientropy/repository/team/app");
    assertThat(registers.route()).isEqualTo(Route.ADMIN_ANTI_ENTROPY_REPOSITORY);
    assertThat(registers.name()).contains("team/app");
    assertThat(Router.methods(Route.ADMIN_SCRUB)).containsExactly("POST");
  }
}
