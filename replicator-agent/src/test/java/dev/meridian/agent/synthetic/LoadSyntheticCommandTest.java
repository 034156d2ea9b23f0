package dev.meridian.agent.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian load-synthetic} writes a registry a real agent then serves as if it had been pushed. */
class LoadSyntheticCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
  private static final int REPOSITORIES = 257;
  private static final int TAGS = 3;

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run loadSynthetic(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args = new ArrayList<>(List.of("load-synthetic"));
    args.addAll(List.of(arguments));
    int exit = cli.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theAgentServesTheLoadedRegistryWithEveryRepositoryOnceInTheCatalogItsTagsAndItsManifests() throws Exception {
    Run load = loadSynthetic("--data-dir", dir.toString(), "--region", "eastus", "--repositories",
        Integer.toString(REPOSITORIES), "--tags-per-repository", Integer.toString(TAGS));
    assertThat(load.exit()).as(load.err()).isZero();
    assertThat(load.out()).contains("loaded " + REPOSITORIES + " repositories and " + REPOSITORIES * TAGS + " tags");

    try (RegionAgent agent = RegionAgent.start(new AgentConfig(new RegionId("eastus"), "127.0.0.1", 0, dir))) {
      RegistryHttp http = new RegistryHttp(() -> URI.create(agent.url()));

      // Following the Link headers page by page (a page size that does not divide the count) lists each once, in order.
      List<String> listed = new ArrayList<>();
      String next = "/v2/_catalog?n=10";
      int pages = 0;
      while (next != null) {
        HttpResponse<byte[]> page = http.get(next);
        assertThat(page.statusCode()).as(RegistryHttp.describe(page)).isEqualTo(200);
        read(page).get("repositories").forEach(name -> listed.add(name.asText()));
        next = page.headers().firstValue("Link").map(LoadSyntheticCommandTest::nextPage).orElse(null);
        pages++;
      }
      assertThat(pages).isEqualTo((REPOSITORIES + 9) / 10);
      List<String> expected = new ArrayList<>();
      for (int k = 0; k < REPOSITORIES; k++) expected.add(SyntheticRegistry.repository(k).value());
      assertThat(listed).containsExactlyElementsOf(expected);

      String repository = SyntheticRegistry.repository(123).value();
      JsonNode tags = read(http.get("/v2/" + repository + "/tags/list"));
      assertThat(tags.get("tags").toString()).isEqualTo("[\"v000\",\"v001\",\"v002\"]");
      HttpResponse<byte[]> afterFirst = http.get("/v2/" + repository + "/tags/list?n=1&last=v000");
      assertThat(read(afterFirst).get("tags").toString()).isEqualTo("[\"v001\"]");
      assertThat(afterFirst.headers().firstValue("Link")).isPresent();

      Set<String> digests = new HashSet<>();
      for (int i = 0; i < TAGS; i++) {
        HttpResponse<byte[]> manifest = http.get("/v2/" + repository + "/manifests/" + SyntheticRegistry.tag(i).value(),
            "Accept", "application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.statusCode()).as(RegistryHttp.describe(manifest)).isEqualTo(200);
        String digest = Digest.sha256Of(manifest.body()).toString();
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(digest);
        digests.add(digest);
        // Every blob the manifest references is linked in the repository and stored with the bytes of its digest.
        JsonNode image = read(manifest);
        List<JsonNode> references = new ArrayList<>();
        references.add(image.get("config"));
        image.get("layers").forEach(references::add);
        for (JsonNode reference : references) {
          HttpResponse<byte[]> blob = http.get("/v2/" + repository + "/blobs/" + reference.get("digest").asText());
          assertThat(blob.statusCode()).as(RegistryHttp.describe(blob)).isEqualTo(200);
          assertThat(Digest.sha256Of(blob.body()).toString()).isEqualTo(reference.get("digest").asText());
          assertThat((long) blob.body().length).isEqualTo(reference.get("size").asLong());
        }
      }
      assertThat(digests).hasSize(TAGS);
      assertThat(http.get("/v2/scale/r" + REPOSITORIES + "000/tags/list").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aDataDirectoryThatAlreadyHoldsARegistryIsRefused() {
    assertThat(loadSynthetic("--data-dir", dir.toString(), "--region", "eastus", "--repositories", "3").exit()).isZero();

    Run again = loadSynthetic("--data-dir", dir.toString(), "--region", "eastus", "--repositories", "3");

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already holds a registry");
  }

  @Test
  void badSizesAreRefusedWithAClearMessage() {
    Run run = loadSynthetic("--data-dir", dir.toString(), "--region", "eastus", "--repositories", "0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("repositories must be 1 to 10,000,000");
  }

  private static String nextPage(String link) {
    Matcher m = NEXT.matcher(link);
    assertThat(m.find()).as(link).isTrue();
    return m.group(1);
  }

  private static JsonNode read(HttpResponse<byte[]> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
