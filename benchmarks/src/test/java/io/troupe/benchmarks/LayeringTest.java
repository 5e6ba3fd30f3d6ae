package io.troupe.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.troupe.core.Bytes;
import io.troupe.core.Protocol;
import io.troupe.core.ProtocolCheck;
import io.troupe.core.ProtocolViolationException;
import io.troupe.core.Troupe;
import io.troupe.core.TroupeException;
import io.troupe.core.WireName;
import io.troupe.remote.RemoteSettings;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layering of all modules, written down as a test rather than a hope. It lives here because
 * this module sees every other one on its class path.
 *
 * <ul>
 *   <li>An {@code internal} package is its module's own: no other module (nor examples, nor
 *       benchmarks) uses it, so the public API never leaks implementation types to users.
 *   <li>No cycles between the library's packages (core, remote, testkit). An {@code internal}
 *       package counts as part of the package it implements ({@code io.troupe.remote.internal} with
 *       {@code io.troupe.remote}): an API facade and its implementation use each other by design;
 *       everything else must form a hierarchy.
 *   <li>Core never depends on Aeron or on the remote module.
 * </ul>
 */
class LayeringTest {
    private static final JavaClasses TROUPE =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.troupe");

    @Test
    void shouldKeepEveryInternalPackageInsideItsModule() {
        for (String module : new String[] {"core", "remote"}) {
            noClasses()
                    .that()
                    .resideOutsideOfPackage("io.troupe." + module + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.troupe." + module + ".internal..")
                    .because("internal packages are not API; use io.troupe." + module + "'s")
                    .check(TROUPE);
        }
    }

    /**
     * Three kinds of dependency are not counted as edges, each for a reason that is part of the
     * design rather than a tangle:
     *
     * <ul>
     *   <li>on the definitions of a message and of failure in {@code io.troupe.core} ({@code
     *       TroupeException}, {@code ProtocolViolationException}, {@code Protocol}, {@code
     *       ProtocolCheck}, {@code WireName}, {@code Bytes}): every layer uses them, as every Java
     *       package uses {@code java.lang};
     *   <li>on {@code RemoteSettings} (and its nested types): the validated settings record is data
     *       that the driver layer reads, built once at the top;
     *   <li>from {@code io.troupe.core.akka} on the {@code Troupe} extension: Akka instantiates the
     *       serializer by class name, and the serializer finds its codec through the extension.
     * </ul>
     *
     * Everything else must form a hierarchy: the remote facade over its transport over the driver
     * layer, the pool's worker main inside the transport, the codec under the core facade.
     */
    @Test
    void shouldHaveNoCyclesBetweenPackages() {
        slices().assignedFrom(new PackagesWithoutInternal())
                .should()
                .beFreeOfCycles()
                .ignoreDependency(
                        DescribedPredicate.alwaysTrue(),
                        JavaClass.Predicates.belongToAnyOf(MESSAGE_DEFINITIONS)
                                .or(
                                        HasName.Predicates.nameStartingWith(
                                                "io.troupe.core.internal.Shape")))
                .ignoreDependency(
                        DescribedPredicate.alwaysTrue(),
                        JavaClass.Predicates.belongToAnyOf(RemoteSettings.class))
                .ignoreDependency(
                        JavaClass.Predicates.resideInAPackage("io.troupe.core.akka"),
                        JavaClass.Predicates.equivalentTo(Troupe.class))
                .check(TROUPE);
    }

    private static final Class<?>[] MESSAGE_DEFINITIONS = {
        TroupeException.class,
        ProtocolViolationException.class,
        Protocol.class,
        ProtocolCheck.class,
        WireName.class,
        Bytes.class
    };

    @Test
    void shouldKeepCoreFreeOfTheTransport() {
        noClasses()
                .that()
                .resideInAPackage("io.troupe.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.aeron..", "org.agrona..", "io.troupe.remote..")
                .check(TROUPE);
    }

    private static final Pattern LIBRARY =
            Pattern.compile("io\\.troupe\\.(core|remote|testkit)(\\..*)?");

    /** A library class's package, with {@code .internal} segments dropped. */
    private static final class PackagesWithoutInternal implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!LIBRARY.matcher(name).matches()) {
                return SliceIdentifier.ignore(); // examples and benchmarks are programs, not layers
            }
            return SliceIdentifier.of(name.replace(".internal", ""));
        }

        @Override
        public String getDescription() {
            return "Troupe's packages, each internal package with the package it implements";
        }
    }
}
