package io.troupe.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

    @Test
    void shouldHaveNoCyclesBetweenPackages() {
        slices().assignedFrom(new PackagesWithoutInternal())
                .should()
                .beFreeOfCycles()
                .check(TROUPE);
    }

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
