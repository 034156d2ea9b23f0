package dev.meridian.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Micrometer stays in the metrics package (STYLE.md): the rest of the agent reports through listener interfaces. */
class MicrometerIsolationTest {
  @Test
  void onlyTheMetricsPackageImportsMicrometer() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian");
    noClasses()
        .that().resideOutsideOfPackage("dev.meridian.agent.metrics..")
        .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..")
        .because("meters are a cross-cutting concern kept behind listeners")
        .check(classes);
  }

  @Test
  void theAdminLogicKnowsNoNetty() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian.agent.admin", "dev.meridian.agent.audit", "dev.meridian.agent.metrics");
    noClasses()
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
        .because("status, stalls and fan-out are plain classes; HTTP glue lives in the http package")
        .check(classes);
  }
}
