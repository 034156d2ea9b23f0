package dev.meridian.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Kafka stays behind the log adapter (and the embedded broker that runs it): DESIGN.md §2. */
class KafkaIsolationTest {
  @Test
  void onlyTheLogAndEmbeddedPackagesImportKafka() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian");
    noClasses()
        .that().resideOutsideOfPackages("dev.meridian.agent.log..", "dev.meridian.agent.embedded..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..")
        .because("the Kafka adapter is the one place that knows Kafka")
        .check(classes);
  }
}
