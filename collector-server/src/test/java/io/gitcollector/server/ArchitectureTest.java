package io.gitcollector.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.gitcollector.core.spi.PlatformProvider;
import java.util.Set;
import java.util.stream.Collectors;

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
      .and().resideOutsideOfPackage("io.gitcollector.core.spi.toolkit..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.gitcollector.core.spi",
          "io.gitcollector.core.spi.coordination",
          "io.gitcollector.core.model..", "java..", "javax.crypto..");

  /** The adapter toolkit is a library over the SPI: JSON and logging, never the engine's machinery. */
  @ArchTest
  static final ArchRule toolkitSeesOnlyTheSpiModelJsonAndLogging = classes()
      .that().resideInAPackage("io.gitcollector.core.spi.toolkit..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.gitcollector.core.spi..",
          "io.gitcollector.core.model..", "java..", "javax.crypto..", "com.fasterxml.jackson..", "org.slf4j..");

  /** Core sees only itself among our packages, whatever adapters, sinks and servers are added later. */
  @ArchTest
  static final ArchRule coreSeesOnlyCore = noClasses()
      .that().resideInAPackage("io.gitcollector.core..")
      .should().dependOnClassesThat(DescribedPredicate.describe("are ours but outside core",
          (JavaClass target) -> target.getPackageName().startsWith("io.gitcollector.")
              && !target.getPackageName().startsWith("io.gitcollector.core")))
      .orShould().dependOnClassesThat().resideInAnyPackage("okhttp3..");

  /**
   * Every platform adapter, the ones here and any added later (a module is an adapter when it implements
   * {@link PlatformProvider}), sees only the SPI, the toolkit, the model and itself: never the engine, a sink, a state
   * store, the server, the testkit or another adapter.
   */
  @ArchTest
  static void adaptersSeeOnlyTheSpiAndThemselves(JavaClasses classes) {
    Set<String> adapters = classes.stream()
        .filter(c -> c.isAssignableTo(PlatformProvider.class) && !c.isInterface())
        .map(c -> module(c.getPackageName())).collect(Collectors.toSet());
    if (!adapters.containsAll(Set.of("io.gitcollector.github", "io.gitcollector.gitlab",
        "io.gitcollector.bitbucket"))) {
      throw new AssertionError("the adapters were not found among the analysed classes: " + adapters);
    }
    classes().that(DescribedPredicate.describe("are in an adapter module " + adapters,
            (JavaClass c) -> adapters.contains(module(c.getPackageName()))))
        .should(new ArchCondition<JavaClass>("depend on nothing of ours but the SPI, the toolkit, the model and"
            + " their own module") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            String own = module(item.getPackageName());
            for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
              String target = dependency.getTargetClass().getPackageName();
              boolean ours = target.startsWith("io.gitcollector.");
              boolean allowed = !ours || target.startsWith("io.gitcollector.core.spi")
                  || target.startsWith("io.gitcollector.core.model") || module(target).equals(own);
              if (!allowed) {
                events.add(SimpleConditionEvent.violated(item, dependency.getDescription()));
              }
            }
          }
        })
        .check(classes);
  }

  /**
   * Whatever sits in an {@code internal} package is used only inside its module ({@code io.gitcollector.<module>}),
   * for every module, including those added later.
   */
  @ArchTest
  static final ArchRule internalsStayInTheirModule = classes()
      .that().resideInAPackage("io.gitcollector..internal..")
      .should(new ArchCondition<JavaClass>("be accessed only from their own module") {
        @Override
        public void check(JavaClass item, ConditionEvents events) {
          String own = module(item.getPackageName());
          for (Dependency dependency : item.getDirectDependenciesToSelf()) {
            if (!module(dependency.getOriginClass().getPackageName()).equals(own)) {
              events.add(SimpleConditionEvent.violated(item, dependency.getDescription()));
            }
          }
        }
      });

  /** {@code io.gitcollector.<module>} of a package. */
  static String module(String packageName) {
    String[] parts = packageName.split("\\.");
    return parts.length < 3 ? packageName : parts[0] + "." + parts[1] + "." + parts[2];
  }

  /** The production server ships no simulator: the demo jar (collector-demo) adds them to the command line. */
  @ArchTest
  static final ArchRule theServerNeverTouchesTheTestkit = noClasses()
      .that().resideInAPackage("io.gitcollector.server..")
      .should().dependOnClassesThat().resideInAPackage("io.gitcollector.testkit..");

  @ArchTest
  static final ArchRule durableFilesServeOnlyTheEmbeddedDefaults = classes()
      .that().resideInAPackage("io.gitcollector.core.io..")
      .should().onlyBeAccessed().byAnyPackage("io.gitcollector.core.io..", "io.gitcollector.core.jsonl..",
          "io.gitcollector.core.state..");

  @ArchTest
  static final ArchRule onlyTheGitLabAdapterTouchesGitlab4j = noClasses()
      .that().resideOutsideOfPackage("io.gitcollector.gitlab..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAPackage("org.gitlab4j..");

  @ArchTest
  static final ArchRule sinksSeeOnlyTheSpiModelAndCodec = noClasses()
      .that().resideInAPackage("io.gitcollector.kafka..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.engine..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.github..",
          "io.gitcollector.server..", "io.gitcollector.testkit..", "io.github.resilience4j..");

  /**
   * Sinks and state stores report their clients' own meters (Kafka's, Lettuce's) to Micrometer's global registry,
   * where the server or the embedding application adds its registry, and touch nothing else of Micrometer.
   */
  @ArchTest
  static final ArchRule componentsReachMicrometerOnlyThroughTheGlobalRegistry = noClasses()
      .that().resideInAnyPackage("io.gitcollector.kafka..", "io.gitcollector.redis..", "io.gitcollector.postgres..")
      .should().dependOnClassesThat(DescribedPredicate.describe("Micrometer beyond the global registry and client"
          + " binders", (JavaClass c) -> c.getPackageName().startsWith("io.micrometer")
          && !java.util.Set.of("io.micrometer.core.instrument.Metrics",
              "io.micrometer.core.instrument.MeterRegistry",
              "io.micrometer.core.instrument.composite.CompositeMeterRegistry",
              "io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics").contains(c.getName())));

  @ArchTest
  static final ArchRule stateStoresSeeOnlyTheSpiAndModel = noClasses()
      .that().resideInAPackage("io.gitcollector.redis..")
      .should().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.engine..",
          "io.gitcollector.core.jsonl..", "io.gitcollector.core.state..", "io.gitcollector.github..",
          "io.gitcollector.kafka..", "io.gitcollector.server..", "io.gitcollector.testkit..");

  /**
   * The PostgreSQL sink keeps stream positions with its data, so it sees the engine's position types
   * ({@code PositionedSink}, {@code StreamCheckpoint}, {@code StreamKind}) and nothing else of the engine.
   */
  @ArchTest
  static final ArchRule thePostgresModuleSeesOnlyTheSpiModelAndPositions = noClasses()
      .that().resideInAPackage("io.gitcollector.postgres..")
      .should().dependOnClassesThat(DescribedPredicate.describe("engine classes other than the position types",
          (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("io.gitcollector.core.engine")
              && !java.util.Set.of("PositionedSink", "StreamCheckpoint", "StreamKind").contains(c.getSimpleName())))
      .orShould().dependOnClassesThat().resideInAnyPackage("io.gitcollector.core.jsonl..",
          "io.gitcollector.core.state..", "io.gitcollector.github..", "io.gitcollector.kafka..",
          "io.gitcollector.redis..", "io.gitcollector.server..", "io.gitcollector.testkit..");

  @ArchTest
  static final ArchRule onlyThePostgresModuleTouchesJdbcPoolsAndMigrations = noClasses()
      .that().resideOutsideOfPackage("io.gitcollector.postgres..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAnyPackage("com.zaxxer.hikari..", "org.flywaydb..", "org.postgresql..");

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
  static final ArchRule resilienceOnlyInTheEngine = noClasses()
      .that().resideOutsideOfPackages("io.gitcollector.core.engine..", "io.gitcollector.server..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j..");

  /** Metrics in the engine and the server; components reach only the global registry (the rule above). */
  @ArchTest
  static final ArchRule metricsOnlyInTheEngineAndTheServer = noClasses()
      .that().resideOutsideOfPackages("io.gitcollector.core.engine..", "io.gitcollector.server..",
          "io.gitcollector.kafka..", "io.gitcollector.redis..", "io.gitcollector.postgres..")
      .and().resideInAPackage("io.gitcollector..")
      .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..");

  @ArchTest
  static final ArchRule noCyclesBetweenModules = slices().matching("io.gitcollector.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesInsideCore = slices().matching("io.gitcollector.core.(*)..").should()
      .beFreeOfCycles();
}
