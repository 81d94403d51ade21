package io.gitcollector.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of STYLE.md, checked over every module's production classes. */
@AnalyzeClasses(packages = "io.gitcollector",
    importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

  /** Test jars shared between modules (their test helpers) are not production code. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar") && !location.contains("/test-classes/");
    }
  }

  @ArchTest
  static final ArchRule modelDependsOnNothingOfOurs = noClasses()
      .that().resideInAPackage("io.gitcollector.core.model..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.gitcollector.core.spi..", "io.gitcollector.core.engine..", "io.gitcollector.core.codec..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.github..",
          "io.gitcollector.server..", "io.gitcollector.testkit..", "com.fasterxml..", "io.github.resilience4j..",
          "io.micrometer..", "okhttp3..");

  @ArchTest
  static final ArchRule spiSeesOnlyTheModel = classes()
      .that().resideInAPackage("io.gitcollector.core.spi..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.gitcollector.core.spi..",
          "io.gitcollector.core.model..", "java..", "javax.crypto..");

  @ArchTest
  static final ArchRule coreNeverDependsOnAdaptersSinksOrServer = noClasses()
      .that().resideInAPackage("io.gitcollector.core..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.github..", "io.gitcollector.server..",
          "io.gitcollector.testkit..", "okhttp3..");

  @ArchTest
  static final ArchRule adaptersSeeOnlyTheSpiAndModel = noClasses()
      .that().resideInAnyPackage("io.gitcollector.github..", "io.gitcollector.bitbucket..", "io.gitcollector.gitlab..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.engine..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.server..",
          "io.gitcollector.testkit..", "io.gitcollector.kafka..", "io.gitcollector.redis..",
          "io.github.resilience4j..", "io.micrometer..");

  @ArchTest
  static final ArchRule durableFilesServeOnlyTheEmbeddedDefaults = classes()
      .that().resideInAPackage("io.gitcollector.core.io..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.core.io..", "io.gitcollector.core.jsonl..",
          "io.gitcollector.core.state..");

  @ArchTest
  static final ArchRule adaptersNeverSeeEachOther = noClasses()
      .that().resideInAPackage("io.gitcollector.github..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.bitbucket..", "io.gitcollector.gitlab..");

  @ArchTest
  static final ArchRule bitbucketNeverSeesGitHub = noClasses()
      .that().resideInAPackage("io.gitcollector.bitbucket..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.github..", "io.gitcollector.gitlab..");

  @ArchTest
  static final ArchRule gitlabNeverSeesOtherAdapters = noClasses()
      .that().resideInAPackage("io.gitcollector.gitlab..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.github..", "io.gitcollector.bitbucket..");

  @ArchTest
  static final ArchRule onlyTheGitLabAdapterTouchesGitlab4j = noClasses()
      .that().resideOutsideOfPackage("io.gitcollector.gitlab..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAPackage("org.gitlab4j..");

  @ArchTest
  static final ArchRule gitlabInternalsStayInTheAdapter = classes()
      .that().resideInAPackage("io.gitcollector.gitlab.internal..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.gitlab..");

  @ArchTest
  static final ArchRule bitbucketInternalsStayInTheAdapter = classes()
      .that().resideInAPackage("io.gitcollector.bitbucket.internal..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.bitbucket..");

  @ArchTest
  static final ArchRule sinksSeeOnlyTheSpiModelAndCodec = noClasses()
      .that().resideInAPackage("io.gitcollector.kafka..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.engine..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.github..",
          "io.gitcollector.server..", "io.gitcollector.testkit..", "io.github.resilience4j..", "io.micrometer..");

  @ArchTest
  static final ArchRule stateStoresSeeOnlyTheSpiAndModel = noClasses()
      .that().resideInAPackage("io.gitcollector.redis..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.engine..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.github..",
          "io.gitcollector.kafka..", "io.gitcollector.server..", "io.gitcollector.testkit..");

  @ArchTest
  static final ArchRule onlyTheRedisStoreTouchesLettuce = noClasses()
      .that().resideOutsideOfPackage("io.gitcollector.redis..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAPackage("io.lettuce..");

  @ArchTest
  static final ArchRule onlyTheKafkaSinkTouchesKafkaClients = noClasses()
      .that().resideOutsideOfPackage("io.gitcollector.kafka..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..");

  @ArchTest
  static final ArchRule onlyAdaptersTouchOkHttp = noClasses()
      .that().resideOutsideOfPackages("io.gitcollector.github..", "io.gitcollector.bitbucket..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAPackage("okhttp3..");

  @ArchTest
  static final ArchRule kafkaInternalsStayInTheSink = classes()
      .that().resideInAPackage("io.gitcollector.kafka.internal..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.kafka..");

  @ArchTest
  static final ArchRule engineInternalsStayInCore = classes()
      .that().resideInAPackage("io.gitcollector.core.engine.internal..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.core..");

  @ArchTest
  static final ArchRule githubInternalsStayInTheAdapter = classes()
      .that().resideInAPackage("io.gitcollector.github.internal..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.github..");

  @ArchTest
  static final ArchRule resilienceAndMetricsOnlyInTheEngine = noClasses()
      .that().resideOutsideOfPackages("io.gitcollector.core.engine..", "io.gitcollector.server..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j..", "io.micrometer..");

  @ArchTest
  static final ArchRule noCyclesBetweenModules = slices().matching("io.gitcollector.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesInsideCore = slices().matching("io.gitcollector.core.(*)..").should()
      .beFreeOfCycles();
}
