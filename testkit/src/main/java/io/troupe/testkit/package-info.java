/**
 * JUnit 5 support for actor tests: {@link io.troupe.testkit.ActorTestKitExtension}.
 *
 * <p>Design note. Akka 2.6 ships only a JUnit 4 rule for its {@code ActorTestKit}. Starting an
 * actor system costs tens of milliseconds and a few threads, so the habit (and Akka's advice) is
 * one system per test class, shared by its test methods, with each test isolated by its own {@code
 * TestProbe}s and actors. {@link io.troupe.testkit.ActorTestKitExtension} does that with JUnit 5's
 * class-level callbacks, which is why it must be registered on a {@code static} field: JUnit calls
 * the class-level callbacks of instance-field extensions only for {@code @TestInstance(PER_CLASS)}
 * test classes.
 *
 * <p>This is the {@code troupe-testkit} artifact, a test-scope dependency that brings {@code
 * akka-actor-testkit-typed} and {@code junit-jupiter-api} with it ({@code troupe-core} depends on
 * neither), as Akka ships {@code akka-actor-testkit-typed} apart from {@code akka-actor-typed}.
 */
package io.troupe.testkit;
