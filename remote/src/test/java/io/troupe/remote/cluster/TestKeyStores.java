package io.troupe.remote.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for TLS tests, made with the JDK's real {@code keytool} in a directory the
 * test owns, without a CA: the cluster's key pair ({@link #member}, self-signed), a trust store
 * holding only its certificate ({@link #trust}), and a key pair whose certificate no one trusts
 * ({@link #stranger}). All PKCS12, with the store password {@link #PASSWORD} (keytool gives a
 * PKCS12 store's key the store's password).
 *
 * <p>Thread safety: immutable.
 */
final class TestKeyStores {
    static final String PASSWORD = "troupe-test-pw";
    private static final long KEYTOOL_WAIT_SECONDS = 60;

    /** The key store of the cluster's machines (alias "member"). */
    final Path member;

    /** The trust store the cluster's machines share: the member certificate only. */
    final Path trust;

    /** A key store whose certificate is in no trust store (alias "stranger"). */
    final Path stranger;

    private TestKeyStores(Path member, Path trust, Path stranger) {
        this.member = member;
        this.trust = trust;
        this.stranger = stranger;
    }

    /** Makes the three stores in {@code dir} (four keytool runs, about a second each). */
    static TestKeyStores create(Path dir) throws IOException, InterruptedException {
        Path member = dir.resolve("member.p12");
        Path cert = dir.resolve("member.pem");
        Path trust = dir.resolve("trust.p12");
        Path stranger = dir.resolve("stranger.p12");
        genKeyPair(dir, member, "member");
        keytool(
                dir,
                "-exportcert",
                "-alias",
                "member",
                "-keystore",
                member.toString(),
                "-storepass",
                PASSWORD,
                "-rfc",
                "-file",
                cert.toString());
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "member",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trust.toString(),
                "-storepass",
                PASSWORD);
        genKeyPair(dir, stranger, "stranger");
        return new TestKeyStores(member, trust, stranger);
    }

    private static void genKeyPair(Path dir, Path store, String alias)
            throws IOException, InterruptedException {
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=troupe-" + alias,
                "-ext",
                "SAN=ip:127.0.0.2,ip:127.0.0.3,ip:127.0.0.4",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
    }

    /** Runs keytool in {@code dir}; fails with its output if it fails or takes over a minute. */
    static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "keytool", ".out");
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        if (!p.waitFor(KEYTOOL_WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "keytool did not finish within " + KEYTOOL_WAIT_SECONDS + " s: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    "keytool failed ("
                            + p.exitValue()
                            + "): "
                            + command
                            + "\n"
                            + Files.readString(output));
        }
    }
}
