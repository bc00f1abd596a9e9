package io.github.mfasession.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts an {@link StsEmulator} before the tests of a class and stops it after them.
 * Needs {@code junit-jupiter-api} (5.x) on the test class path, which this artifact does not bring.
 *
 * <pre>{@code
 * class MyTest {
 *     @RegisterExtension
 *     static final StsEmulatorExtension STS = new StsEmulatorExtension();
 *
 *     @Test
 *     void getsASession() {
 *         IamUser alice = STS.emulator().addUser("alice");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Or {@code @ExtendWith(StsEmulatorExtension.class)} on the class and a {@code StsEmulator} parameter on the test
 * methods (or on {@code @BeforeEach} methods). Users, devices and codes used carry on from one test of the class to
 * the next: add new users in each test for a clean start. Nested test classes share their outer class's emulator.
 */
public final class StsEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StsEmulatorExtension.class);

    private final StsEmulator.Builder builder;
    private volatile StsEmulator started;

    /** An emulator on the system clock and a free port, as {@link StsEmulator#start()}. */
    public StsEmulatorExtension() {
        this(StsEmulator.builder());
    }

    /** An emulator built with the given options (clock, port, account), for {@code @RegisterExtension}. */
    public StsEmulatorExtension(StsEmulator.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /**
     * The emulator of the test class running now.
     *
     * @throws IllegalStateException outside the tests of a class that registered this extension as a static field
     */
    public StsEmulator emulator() {
        StsEmulator emulator = started;
        if (emulator == null) {
            throw new IllegalStateException("The STS emulator runs only during the tests of a class that registers this extension"
                                            + " with @RegisterExtension on a static field.");
        }
        return emulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(StsEmulator.class, StsEmulator.class) == null) {
            StsEmulator emulator = builder.build();
            store.put(StsEmulator.class, emulator);
            started = emulator;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Only the class that started it stops it; a nested class found its outer class's emulator.
        StsEmulator emulator = context.getStore(NAMESPACE).remove(StsEmulator.class, StsEmulator.class);
        if (emulator != null) {
            emulator.close();
            started = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StsEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(StsEmulator.class, StsEmulator.class);
    }
}
