package io.troupe.remote.driver;

import io.aeron.AeronVersion;
import io.aeron.CncFileDescriptor;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import org.agrona.SemanticVersion;

/**
 * Troupe's marker in an Aeron directory, {@value #FILE}: which Troupe wire protocol and which Aeron
 * (release and CnC layout) the process that launched the driver there spoke. The launching host
 * writes it right after the driver started, under the launch lock; a process that attaches reads it
 * under the same lock and refuses a directory of an incompatible version instead of failing later
 * with a corrupt frame or an Aeron error that does not say why.
 *
 * <p>Compatible means: the same marker layout, the same Troupe wire version, the same Aeron major
 * and minor release, and a CnC file of the same major version (Aeron's own client rule: {@link
 * CncFileDescriptor#checkVersion}). A marker that cannot be read is incompatible.
 *
 * <p>Thread safety: immutable.
 *
 * @param layoutVersion version of this file's own layout ({@value #LAYOUT_VERSION}); -1 if
 *     unreadable
 * @param wireVersion Troupe wire protocol version (the frame header's version byte)
 * @param aeronVersion Aeron release, e.g. {@code 1.51.0}
 * @param cncVersion Aeron CnC file version, as {@link SemanticVersion} composes it
 */
public record LayoutMarker(
        int layoutVersion, int wireVersion, String aeronVersion, int cncVersion) {
    /** The marker's file name inside the Aeron directory. */
    static final String FILE = "troupe-layout.properties";

    static final int LAYOUT_VERSION = 1;

    /**
     * The Troupe wire protocol version this build speaks: the version byte of every frame. Kept
     * here, in the lower layer, so the transport's {@code Wire} reads it from the marker and the
     * driver package needs nothing from the transport (4: heartbeats carry the node's Artery
     * address, and refs in cluster mode their home path; 3: cluster tag in frames, cluster name in
     * heartbeats; 2: batch frames).
     */
    public static final int WIRE_VERSION = 4;

    /** The marker of this process. */
    static LayoutMarker current() {
        return new LayoutMarker(
                LAYOUT_VERSION, WIRE_VERSION, AeronVersion.VERSION, CncFileDescriptor.CNC_VERSION);
    }

    /**
     * The marker in {@code aeronDir}, if there is one (an unreadable one has layout version -1).
     */
    static Optional<LayoutMarker> read(Path aeronDir) {
        Path file = aeronDir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new LayoutMarker(-1, -1, "unreadable (" + e + ")", 0));
        }
    }

    static LayoutMarker parse(String text) throws IOException {
        Properties p = new Properties();
        try (Reader in = new StringReader(text)) {
            p.load(in);
        }
        try {
            return new LayoutMarker(
                    Integer.parseInt(p.getProperty("troupe.layout-version", "-1").trim()),
                    Integer.parseInt(p.getProperty("troupe.wire-version", "-1").trim()),
                    p.getProperty("aeron.version", "unknown").trim(),
                    SemanticVersion.compose(
                            version(p, "aeron.cnc-version", 0),
                            version(p, "aeron.cnc-version", 1),
                            version(p, "aeron.cnc-version", 2)));
        } catch (RuntimeException e) {
            return new LayoutMarker(-1, -1, "unreadable (" + e.getMessage() + ")", 0);
        }
    }

    private static int version(Properties p, String key, int part) {
        String[] parts = p.getProperty(key, "0.0.0").trim().split("\\.");
        return part < parts.length ? Integer.parseInt(parts[part]) : 0;
    }

    /**
     * Writes this marker into {@code aeronDir}, replacing any other atomically (the caller makes it
     * private).
     */
    void write(Path aeronDir) throws IOException {
        Path tmp = aeronDir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(
                tmp,
                text(),
                StandardCharsets.UTF_8); // made 0600 by PrivateFiles.makePrivate after launch
        Files.move(
                tmp,
                aeronDir.resolve(FILE),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    String text() {
        return "# Written by Troupe when it launched the Aeron media driver of this directory; read by the\n"
                + "# Troupe processes that attach, which refuse a directory of an incompatible version.\n"
                + "troupe.layout-version="
                + layoutVersion
                + "\n"
                + "troupe.wire-version="
                + wireVersion
                + "\n"
                + "aeron.version="
                + aeronVersion
                + "\n"
                + "aeron.cnc-version="
                + SemanticVersion.toString(cncVersion)
                + "\n";
    }

    /**
     * What makes {@code this} (found in a directory) unusable by {@code ours}, or empty if
     * compatible.
     */
    Optional<String> incompatibilityWith(LayoutMarker ours) {
        if (layoutVersion != ours.layoutVersion) {
            return Optional.of(
                    layoutVersion < 0
                            ? "its " + FILE + " is " + aeronVersion
                            : "its "
                                    + FILE
                                    + " has layout version "
                                    + layoutVersion
                                    + " (expected "
                                    + ours.layoutVersion
                                    + ")");
        }
        if (wireVersion != ours.wireVersion) {
            return Optional.of(
                    "it was set up by a Troupe that speaks wire version "
                            + wireVersion
                            + " (this one speaks "
                            + ours.wireVersion
                            + ")");
        }
        if (!majorMinor(aeronVersion).equals(majorMinor(ours.aeronVersion))) {
            return Optional.of(
                    "it was set up with Aeron "
                            + aeronVersion
                            + " (this process uses Aeron "
                            + ours.aeronVersion
                            + "; the major and minor releases must match)");
        }
        return cncIncompatibility(cncVersion);
    }

    /**
     * Why a CnC file of {@code cncVersion} is unusable here (Aeron's rule: same major version), or
     * empty.
     */
    static Optional<String> cncIncompatibility(int cncVersion) {
        if (SemanticVersion.major(cncVersion)
                != SemanticVersion.major(CncFileDescriptor.CNC_VERSION)) {
            return Optional.of(
                    "its cnc.dat has CnC version "
                            + SemanticVersion.toString(cncVersion)
                            + " (Aeron "
                            + AeronVersion.VERSION
                            + " reads CnC version "
                            + SemanticVersion.toString(CncFileDescriptor.CNC_VERSION)
                            + ", the same major version only)");
        }
        return Optional.empty();
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    /** For messages: "Troupe wire 1, Aeron 1.51.0, CnC 0.2.0". */
    String describe() {
        return layoutVersion < 0
                ? aeronVersion
                : "Troupe wire "
                        + wireVersion
                        + ", Aeron "
                        + aeronVersion
                        + ", CnC "
                        + SemanticVersion.toString(cncVersion);
    }
}
