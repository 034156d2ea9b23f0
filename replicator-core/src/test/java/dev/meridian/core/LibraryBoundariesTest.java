package dev.meridian.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Each third-party library stays inside the one package that adapts it (DESIGN.md section 2). */
class LibraryBoundariesTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meridian.core");

  @Test
  void onlyTheRocksDbStateStoreDependsOnRocksDb() {
    noClasses().that().resideOutsideOfPackage("dev.meridian.core.state.rocksdb..")
        .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
        .check(CORE);
  }

  @Test
  void theCoreDependsOnNoNettyKafkaOrMicrometer() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "org.apache.kafka..", "io.micrometer..")
        .check(CORE);
  }
}
