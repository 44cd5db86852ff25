package org.likeness.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md, checked on the compiled product classes (tests excluded): a rule written
 * there and broken in code fails this test.
 */
class ArchitectureTest {
    /** The pipeline and storage packages: everything the adapters (cli, and later server and spark) stand on. */
    private static final String[] CORE = {"..likeness.image..", "..likeness.face..", "..likeness.hash..",
            "..likeness.model..", "..likeness.cluster..", "..likeness.fingerprint..", "..likeness.registry..",
            "..likeness.scan..", "..likeness.audit..", "..likeness.redact..", "..likeness.trace..", "..likeness.files..",
            "..likeness.json..", "..likeness.hashlist..", "..likeness.screen.."};

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.likeness");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.likeness.(*)..").should().beFreeOfCycles().check(product);
    }

    @Test
    void coreNeverKnowsTheAdaptersTheApplicationLayerOrTheLab() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.cli..", "..likeness.app..",
                        "..likeness.eval..", "..likeness.bench..", "picocli..", "org.openjdk.jmh..",
                        "..likeness.serve..", "..likeness.account..", "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .check(product);
    }

    @Test
    void accountsKnowNoHttpAndNoCommandLine() {
        noClasses().that().resideInAPackage("..likeness.account..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.serve..", "..likeness.cli..", "..likeness.app..",
                        "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "picocli..")
                .check(product);
    }

    @Test
    void theHttpServiceNeverKnowsTheCommandLine() {
        noClasses().that().resideInAPackage("..likeness.serve..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.cli..", "picocli..")
                .check(product);
    }

    @Test
    void applicationLayerNeverKnowsTheHttpService() {
        noClasses().that().resideInAPackage("..likeness.app..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.serve..", "io.javalin..", "org.eclipse.jetty..")
                .check(product);
    }

    @Test
    void applicationLayerNeverKnowsTheCommandLine() {
        noClasses().that().resideInAPackage("..likeness.app..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.cli..", "picocli..", "org.openjdk.jmh..")
                .check(product);
    }

    @Test
    void registryNeverSeesPixelsOrModels() {
        noClasses().that().resideInAPackage("..likeness.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.image..", "..likeness.face..",
                        "..likeness.model..", "..likeness.scan..", "ai.onnxruntime..", "org.opencv..")
                .check(product);
    }

    @Test
    void decodingAndHashingStandAlone() {
        noClasses().that().resideInAnyPackage("..likeness.image..", "..likeness.hash..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.face..", "..likeness.model..",
                        "..likeness.registry..", "..likeness.scan..", "..likeness.fingerprint..", "ai.onnxruntime..")
                .check(product);
    }

    /** Clustering multiplies matrices with ONNX Runtime (so it may load its natives through {@code model}), nothing more. */
    @Test
    void clusteringKnowsNoFacesRegistryOrScans() {
        noClasses().that().resideInAPackage("..likeness.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.face..", "..likeness.registry..",
                        "..likeness.scan..", "..likeness.fingerprint..", "..likeness.image..")
                .check(product);
    }

    @Test
    void fingerprintNeverKnowsTheRegistryFacesOrFiles() {
        noClasses().that().resideInAPackage("..likeness.fingerprint..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.registry..", "..likeness.face..",
                        "..likeness.scan..", "..likeness.trace..")
                .check(product);
    }

    @Test
    void scanRecordsWhatIsInTheImagesNeverConsent() {
        noClasses().that().resideInAPackage("..likeness.scan..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.registry..", "..likeness.audit..",
                        "..likeness.trace..", "..likeness.redact..")
                .check(product);
    }

    @Test
    void privateFilesKnowNothingOfWhatTheyHold() {
        // its own classes may use each other (the first rule as written forbade that too: "org.likeness.." holds files)
        noClasses().that().resideInAPackage("..likeness.files..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.likeness.files..", "java..")
                .check(product);
    }

    @Test
    void theSharedJsonConfigurationKnowsNothingOfTheDomain() {
        noClasses().that().resideInAPackage("..likeness.json..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.likeness.json..", "java..",
                        "com.fasterxml.jackson..")
                .check(product);
    }

    /** A hash list holds hashes and sketches, never pixels or models: the holder's side reads the registry, nothing more. */
    @Test
    void hashListsNeverSeePixelsOrModels() {
        noClasses().that().resideInAPackage("..likeness.hashlist..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.image..", "..likeness.face..", "..likeness.model..",
                        "..likeness.scan..", "..likeness.screen..", "..likeness.trace..", "ai.onnxruntime..", "org.opencv..")
                .check(product);
    }

    /** A marketplace has no registry: the screen knows only the lists it imported (docs/HASHLISTS.md). */
    @Test
    void theScreenNeverKnowsTheRegistry() {
        noClasses().that().resideInAPackage("..likeness.screen..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.registry..", "..likeness.audit..",
                        "..likeness.trace..", "..likeness.evidence..")
                .check(product);
    }

    @Test
    void theProductShipsNoLab() {
        // the lab (eval, bench, JMH) is the module lab/, which depends on the product; nothing of it may come back
        org.assertj.core.api.Assertions.assertThat(product.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith("org.likeness.eval") || p.startsWith("org.likeness.bench")
                        || p.startsWith("org.likeness.lab"))).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Class.forName("org.openjdk.jmh.Main"))
                .as("JMH on the product's class path").isInstanceOf(ClassNotFoundException.class);
    }

    /** Jobs run the use cases for the HTTP service but never know HTTP, so that another adapter (a queue worker) can run them. */
    @Test
    void jobsNeverKnowHttpOrTheCommandLine() {
        noClasses().that().resideInAPackage("..likeness.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("..likeness.cli..", "..likeness.serve..", "picocli..", "io.javalin..",
                        "org.eclipse.jetty..", "jakarta.servlet..")
                .check(product);
        noClasses().that().resideInAnyPackage(CORE).or().resideInAPackage("..likeness.app..")
                .should().dependOnClassesThat().resideInAPackage("..likeness.jobs..")
                .check(product);
    }
}
