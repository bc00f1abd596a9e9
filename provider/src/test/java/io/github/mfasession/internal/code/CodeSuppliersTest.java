package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaCodeSupplier;
import io.github.mfasession.MfaSessionException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a supplier by name, plugins found with ServiceLoader, and the automatic choice in SPEC's order. */
class CodeSuppliersTest {

    private static final List<String> HEADLESS = List.of("-Djava.awt.headless=true");
    private static final List<String> SWING = List.of();
    private final CodeSuppliers suppliers = CodeSuppliers.discover();

    @TempDir
    Path dir;

    @Test
    void findsEveryBuiltInSupplierByName() {
        assertInstanceOf(EnvCodeSupplier.class, suppliers.byName().get("env"));
        assertInstanceOf(ProcessCodeSupplier.class, suppliers.byName().get("process"));
        assertInstanceOf(FileCodeSupplier.class, suppliers.byName().get("file"));
        assertInstanceOf(ConsoleCodeSupplier.class, suppliers.byName().get("console"));
        assertInstanceOf(DialogCodeSupplier.class, suppliers.byName().get("dialog"));
        assertInstanceOf(DesktopCodeSupplier.class, suppliers.byName().get("desktop"));
    }

    @Test
    void pluginOnTheClasspathIsChosenByItsName() {
        MfaCodeSupplier chosen = suppliers.choose(Optional.of("test-plugin"), "dev", key -> Optional.empty());

        assertInstanceOf(TestPluginSupplier.class, chosen);
        assertEquals("424242", chosen.code(MfaCodeRequest.builder().profile("dev").mfaSerial("arn:aws:iam::123456789012:mfa/alice").build()));
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        MfaSessionException e = assertThrows(MfaSessionException.class,
                                             () -> suppliers.choose(Optional.of("yubikey"), "dev", key -> Optional.empty()));

        assertEquals("mfa_code_supplier 'yubikey' for profile 'dev' is not a known code supplier; the available ones are"
                     + " console, desktop, dialog, env, file, process, test-plugin.", e.getMessage());
    }

    @Test
    void codeInTheEnvironmentComesFirst() {
        assertEquals("env", chosen(Map.of("mfa_code", "123456", "mfa_process", "echo 123456", "mfa_code_file", "/tmp/code")));
    }

    @Test
    void commandComesBeforeAFile() {
        assertEquals("process", chosen(Map.of("mfa_process", "echo 123456", "mfa_code_file", "/tmp/code")));
    }

    @Test
    void fileComesBeforeATerminalOrDesktop() {
        assertEquals("file", chosen(Map.of("mfa_code_file", "/tmp/code")));
    }

    @Test
    void autoMeansTheAutomaticChoice() {
        Function<String, Optional<String>> settings = key -> key.equals("mfa_code_file") ? Optional.of("/tmp/code") : Optional.empty();

        assertEquals("file", suppliers.choose(Optional.of("auto"), "dev", settings).name());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses setsid to start a process without a terminal")
    void withNothingConfiguredNoTerminalAndNoDesktopOneErrorListsEveryWay() throws Exception {
        // Headless, with no display and in a session of its own (no controlling terminal), as on a CI runner.
        Properties outcome = child(HEADLESS, Map.of(), "choose");

        assertNull(outcome.getProperty("chosen"));
        assertEquals("No way to get an MFA code for profile 'dev': no terminal or desktop is attached and none is configured."
                     + " Set AWS_MFA_CODE, or mfa_process (a command that prints the code), or mfa_code_file, or name a plugin"
                     + " with mfa_code_supplier, or run where a terminal or desktop is available.", outcome.getProperty("error"));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "zenity and kdialog are Linux desktops' programs")
    void headlessJvmOnADesktopChoosesTheDesktopsDialogProgram() throws Exception {
        DesktopDriver.assumeAvailable("zenity");

        assertEquals("desktop", child(HEADLESS, display(), "choose").getProperty("chosen"));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "on macOS a JVM that has not started AWT gets the desktop's program")
    void jvmThatCanShowSwingChoosesTheDialog() throws Exception {
        DesktopDriver.assumeAvailable("zenity");

        assertEquals("dialog", child(SWING, display(), "choose").getProperty("chosen"));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "zenity and kdialog are Linux desktops' programs")
    void applicableCodeSuppliersListsEverySupplierThatCanAskInTheAutomaticOrder() throws Exception {
        DesktopDriver.assumeAvailable("zenity");
        Map<String, String> codeGiven = new HashMap<>(display());
        codeGiven.put("AWS_MFA_CODE", "123456");

        assertEquals("env,dialog,desktop", child(SWING, codeGiven, "applicable").getProperty("applicable"));
        assertEquals("env,desktop", child(HEADLESS, codeGiven, "applicable").getProperty("applicable"));
        assertEquals("", child(HEADLESS, Map.of(), "applicable").getProperty("applicable"));
    }

    @Test
    void desktopComesBeforeTheDialogWhereSwingIsUnsafeOrUnavailable() {
        assertEquals(List.of("env", "process", "file", "console", "desktop", "dialog"), CodeSuppliers.autoOrder(false));
        assertEquals(List.of("env", "process", "file", "console", "dialog", "desktop"), CodeSuppliers.autoOrder(true));
    }

    /**
     * Runs SupplierChild in a JVM in a session of its own (no controlling terminal), with no display unless the given
     * variables set one, and returns what it found.
     */
    private Properties child(List<String> jvmOptions, Map<String, String> environment, String mode) throws Exception {
        Path result = dir.resolve(mode + "-" + System.nanoTime());
        String command = ChildJvm.command(jvmOptions, mode, result.toString()).stream().map(ChildJvm::quote).collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("setsid", "-w", "sh", "-c", "exec " + command + " </dev/null").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.endsWith("DISPLAY"));
        builder.environment().putAll(environment);
        Process child = builder.start();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child ended");
        return ChildJvm.result(result);
    }

    private static Map<String, String> display() {
        return Map.of("DISPLAY", System.getenv("DISPLAY"));
    }

    private String chosen(Map<String, String> settings) {
        return suppliers.choose(Optional.empty(), "dev", key -> Optional.ofNullable(settings.get(key))).name();
    }
}
