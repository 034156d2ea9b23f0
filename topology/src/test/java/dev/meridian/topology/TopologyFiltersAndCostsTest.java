package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet file's repository filters and transfer costs: reading them, their defaults, and every rule. */
class TopologyFiltersAndCostsTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final RegionId NORTH = new RegionId("northeurope");
  private static final String REGIONS = """
      kafka: 127.0.0.1:9092
      regions:
        - { id: eastus, url: "http://127.0.0.1:5001" }
        - { id: westeurope, url: "http://127.0.0.1:5002" }
        - { id: northeurope, url: "http://127.0.0.1:5003" }
      """;

  @Test
  void filtersAndCostsAreReadFromTheFleetFile() {
    Topology t = TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - id: eastus
            url: http://127.0.0.1:5001
            repositories:
              exclude: ["eu-only/**"]
          - id: westeurope
            url: http://127.0.0.1:5002
            repositories: { include: ["eu-only/**", "team-a/*"], exclude: ["team-a/tmp"] }
          - { id: northeurope, url: "http://127.0.0.1:5003" }
        costs:
          - { from: eastus, to: westeurope, cost: 10 }
          - { from: westeurope, to: northeurope, cost: 2 }
          - { from: northeurope, to: westeurope, cost: 3 }
        """);
    RepositoryName euApp = new RepositoryName("eu-only/app");
    assertThat(t.admits(EAST, euApp)).isFalse();
    assertThat(t.admits(EAST, new RepositoryName("team-a/app"))).isTrue();
    assertThat(t.admits(WEST, euApp)).isTrue();
    assertThat(t.admits(WEST, new RepositoryName("team-a/tmp"))).isFalse();
    assertThat(t.admits(WEST, new RepositoryName("team-b/app"))).isFalse();
    assertThat(t.admits(NORTH, euApp)).isTrue();
    assertThat(t.regions().get(2).repositories()).isEqualTo(RepositoryFilter.ALL);
    assertThat(t.admits(new RegionId("elsewhere"), euApp)).as("a region outside the fleet holds nothing").isFalse();

    assertThat(t.cost(EAST, WEST)).isEqualTo(10);
    assertThat(t.cost(WEST, EAST)).as("a pair given once is symmetric").isEqualTo(10);
    assertThat(t.cost(WEST, NORTH)).as("both directions given").isEqualTo(2);
    assertThat(t.cost(NORTH, WEST)).isEqualTo(3);
    assertThat(t.cost(EAST, NORTH)).as("unspecified").isEqualTo(Topology.DEFAULT_COST);
    assertThat(t.cost(EAST, EAST)).isZero();
  }

  @Test
  void withoutFiltersOrCostsEveryRegionHoldsEverythingAndEveryPairCostsOne() {
    Topology t = TopologyLoader.parse(REGIONS);
    assertThat(t.regions()).allMatch(r -> r.repositories().isDefault());
    assertThat(t.costs()).isEmpty();
    assertThat(t.cost(EAST, WEST)).isEqualTo(1);
    assertThat(t.cost(NORTH, EAST)).isEqualTo(1);
  }

  @Test
  void filtersAndCostsSurviveWritingTheFleetFileAndReadingItBack() {
    Topology t = TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001", repositories: { exclude: ["eu-only/**", "*-eu"] } }
          - { id: westeurope, url: "http://127.0.0.1:5002", repositories: { include: ["**/app"] } }
        costs:
          - { from: eastus, to: westeurope, cost: 0 }
          - { from: westeurope, to: eastus, cost: 7 }
        """);
    assertThat(TopologyLoader.parse(TopologyLoader.toYaml(t))).isEqualTo(t);
  }

  @Test
  void badFiltersAreEachReported() {
    assertThatThrownBy(() -> TopologyLoader.parse("""
        kafka: 127.0.0.1:9092
        regions:
          - id: eastus
            url: http://127.0.0.1:5001
            repositories: { include: [], exclude: ["EU/**", "a//b", "x/***", "eu/**", "eu/**"], inclde: ["x"] }
          - id: westeurope
            url: http://127.0.0.1:5002
            repositories: ["eu-only/**"]
          - id: northeurope
            url: http://127.0.0.1:5003
            repositories: { include: "team-a/**", exclude: [1] }
        """))
        .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.violations()).hasSize(9)
            .anyMatch(v -> v.startsWith("regions[0] (eastus): repositories.include: empty"))
            .anyMatch(v -> v.contains("repositories.exclude: pattern 'EU/**' has 'E': repository names are lower case"))
            .anyMatch(v -> v.contains("pattern 'a//b' has an empty segment"))
            .anyMatch(v -> v.contains("pattern 'x/***' has '***'"))
            .anyMatch(v -> v.contains("repositories.exclude: duplicate pattern 'eu/**'"))
            .anyMatch(v -> v.contains("(eastus): repositories: unknown field 'inclde'"))
            .anyMatch(v -> v.startsWith("regions[1] (westeurope): repositories must be a mapping"))
            .anyMatch(v -> v.startsWith("regions[2] (northeurope): repositories.include must be a list"))
            .anyMatch(v -> v.startsWith("regions[2] (northeurope): repositories.exclude has 1, not a pattern")));
  }

  @Test
  void badCostsAreEachReported() {
    assertThatThrownBy(() -> TopologyLoader.parse(REGIONS + """
        costs:
          - { from: eastus, to: mars, cost: 3 }
          - { from: eastus, to: westeurope, cost: -1 }
          - { from: westeurope, to: westeurope, cost: 1 }
          - { from: eastus, to: northeurope, cost: 2 }
          - { from: eastus, to: northeurope, cost: 4 }
          - { from: northeurope, to: eastus, cost: 2.5 }
          - { to: eastus, cost: 1, price: 3 }
          - { from: westeurope, to: northeurope }
          - just a string
        """))
        .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.violations()).hasSize(9)
            .anyMatch(v -> v.equals("costs[0] (eastus -> mars): to 'mars' is not a region of the fleet"))
            .anyMatch(v -> v.equals("costs[1] (eastus -> westeurope): cost -1 is out of range 0..1000000 (negative)"))
            .anyMatch(v -> v.startsWith("costs[2] (westeurope -> westeurope): from and to are the same region"))
            .anyMatch(v -> v.equals("costs[4] (eastus -> northeurope): duplicate cost from eastus to northeurope"))
            .anyMatch(v -> v.equals("costs[5] (northeurope -> eastus): cost '2.5' is not a whole number"))
            .anyMatch(v -> v.equals("costs[6]: unknown field 'price' (known: from, to, cost)"))
            .anyMatch(v -> v.equals("costs[6]: from missing (a region id)"))
            .anyMatch(v -> v.startsWith("costs[7] (westeurope -> northeurope): cost missing"))
            .anyMatch(v -> v.equals("costs[8]: must be a mapping {from, to, cost}")));
  }

  @Test
  void costsThatAreNotAListAreReportedWithTheOtherProblems() {
    assertThatThrownBy(() -> TopologyLoader.parse("""
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001", repositories: { exclude: ["Bad"] } }
        costs: { eastus: 1 }
        """))
        .isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.violations()).hasSize(3)
            .anyMatch(v -> v.startsWith("kafka: missing"))
            .anyMatch(v -> v.equals("costs: must be a list of {from, to, cost}"))
            .anyMatch(v -> v.contains("pattern 'Bad'")));
  }

  @Test
  void aRegionBuiltInCodeHoldsEverythingByDefault() {
    Region region = Region.of("eastus", "http://127.0.0.1:5001");
    assertThat(region.repositories()).isEqualTo(RepositoryFilter.ALL);
    Topology t = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(region));
    assertThat(t.costs()).isEmpty();
    assertThat(region.withRepositories(RepositoryFilter.of(List.of("a/**"), List.of())).repositories().admits("b")).isFalse();
    assertThatThrownBy(() -> new TransferCost(EAST, EAST, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransferCost(EAST, WEST, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
