package io.tapio.cli;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout follows DESIGN.md's data flow, and the build holds it there: no package
 * depends on another that depends back on it, and each layer imports only the layers before
 * it (the kernel's reader, the job, then what runs the job, then the command line).
 */
class LayoutTest {
    private static JavaClasses tapio;

    @BeforeAll
    static void importMainClasses() {
        tapio = new ClassFileImporter().withImportOption(LayoutTest::mainCode).importPackages("io.tapio");
    }

    /** Main code of every module: neither test classes nor test jars on this class path. */
    private static boolean mainCode(Location location) {
        return !location.contains("/test-classes/") && !location.contains("-tests.jar");
    }

    @Test
    void theRulesSeeTheMainCodeOfEveryModuleAndNoTest() {
        for (String name : List.of(
                "io.tapio.ebpf.abi.KernelEvent",
                "io.tapio.schemas.HistoryTables",
                "io.tapio.job.TapioJob",
                "io.tapio.agent.NodeAgent",
                "io.tapio.local.LocalTapio",
                "io.tapio.bench.Stats",
                "io.tapio.testing.Commands",
                "io.tapio.cli.Tapio")) {
            assertTrue(tapio.contain(name), name);
        }
        assertFalse(tapio.contain(LayoutTest.class), "test classes are not held to the layout");
    }

    @Test
    void noPackageDependsOnAPackageThatDependsBackOnIt() {
        slices().matching("io.tapio.(**)").should().beFreeOfCycles().check(tapio);
    }

    @Test
    void eachLayerImportsOnlyTheLayersBeforeIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("kernel")
                .definedBy("io.tapio.ebpf..")
                .layer("tables")
                .definedBy("io.tapio.schemas..")
                .layer("job")
                .definedBy(
                        "io.tapio.model..",
                        "io.tapio.enrich..",
                        "io.tapio.correlate..",
                        "io.tapio.rollup..",
                        "io.tapio.history..",
                        "io.tapio.kafka..",
                        "io.tapio.export..",
                        "io.tapio.job..")
                .layer("agent")
                .definedBy("io.tapio.agent..")
                .layer("local")
                .definedBy("io.tapio.local..", "io.tapio.status..")
                .layer("bench")
                .definedBy("io.tapio.bench..")
                .layer("fixtures")
                .definedBy("io.tapio.testing..")
                .layer("cli")
                .definedBy("io.tapio.cli..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("bench")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("fixtures")
                .mayOnlyBeAccessedByLayers("bench")
                .whereLayer("local")
                .mayOnlyBeAccessedByLayers("bench", "cli")
                .whereLayer("agent")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("job")
                .mayOnlyBeAccessedByLayers("agent", "local", "bench", "cli")
                .whereLayer("tables")
                .mayOnlyBeAccessedByLayers("job", "bench", "cli")
                .check(tapio);
    }

    /**
     * Inside the job, each stage of DESIGN.md's data flow imports only the stages before it:
     * the model they share, naming workloads, correlating, rollups and regressions, then what
     * the results go to (the history, the node agents' Kafka path, exports), then the wiring.
     */
    @Test
    void theJobsStagesFollowTheDataFlow() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("model")
                .definedBy("io.tapio.model..")
                .layer("enrich")
                .definedBy("io.tapio.enrich..")
                .layer("correlate")
                .definedBy("io.tapio.correlate..")
                .layer("rollup")
                .definedBy("io.tapio.rollup..")
                .layer("outputs")
                .definedBy("io.tapio.history..", "io.tapio.kafka..", "io.tapio.export..")
                .layer("wiring")
                .definedBy("io.tapio.job..")
                .whereLayer("wiring")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("outputs")
                .mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("rollup")
                .mayOnlyBeAccessedByLayers("outputs", "wiring")
                .whereLayer("correlate")
                .mayOnlyBeAccessedByLayers("rollup", "outputs", "wiring")
                .whereLayer("enrich")
                .mayOnlyBeAccessedByLayers("correlate", "rollup", "outputs", "wiring")
                .check(tapio);
    }

    /**
     * Inside the kernel's side, the same: the ABI, libbpf, the ring, the collector, then the
     * captures and generators of events, then the sources that read them into Flink.
     */
    @Test
    void theKernelSideFollowsTheDataFlow() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("abi")
                .definedBy("io.tapio.ebpf.abi..")
                .layer("libbpf")
                .definedBy("io.tapio.ebpf.libbpf..")
                .layer("ring")
                .definedBy("io.tapio.ebpf.ring..")
                .layer("collector")
                .definedBy("io.tapio.ebpf.collector..")
                .layer("events")
                .definedBy("io.tapio.ebpf.capture..", "io.tapio.ebpf.synthetic..")
                .layer("sources")
                .definedBy("io.tapio.ebpf.source..")
                .whereLayer("sources")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("events")
                .mayOnlyBeAccessedByLayers("sources")
                .whereLayer("collector")
                .mayOnlyBeAccessedByLayers("events", "sources")
                .whereLayer("ring")
                .mayOnlyBeAccessedByLayers("collector", "events", "sources")
                .whereLayer("libbpf")
                .mayOnlyBeAccessedByLayers("ring", "collector", "events", "sources")
                .check(tapio);
    }

    /** The ABI is the kernel's: the Java mirror of tapio_events.h depends on nothing else of Tapio's. */
    @Test
    void theAbiDependsOnNothingElseOfTapios() {
        ArchRuleDefinition.noClasses()
                .that()
                .resideInAPackage("io.tapio.ebpf.abi..")
                .should()
                .dependOnClassesThat(resideInAPackage("io.tapio..").and(resideOutsideOfPackage("io.tapio.ebpf.abi..")))
                .check(tapio);
    }

    /** The data model is what every stage of the job shares, so it depends on none of them. */
    @Test
    void theModelDependsOnNoStageOfTheJob() {
        ArchRuleDefinition.noClasses()
                .that()
                .resideInAPackage("io.tapio.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tapio.enrich..",
                        "io.tapio.correlate..",
                        "io.tapio.rollup..",
                        "io.tapio.history..",
                        "io.tapio.kafka..",
                        "io.tapio.export..",
                        "io.tapio.job..")
                .check(tapio);
    }
}
