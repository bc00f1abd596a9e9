package io.github.mfasession.internal.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The command line with any arguments at all: it ends with status 0, 1 with a message, or 2 with a usage message,
 * and never with a stack trace or an exception out of {@code run}. Run in this JVM, whose home folder holds no AWS
 * files, so no command gets as far as a prompt or a network call; {@code demo}, which would prompt, is never drawn.
 */
class CommandLinePropertiesTest {

    @Provide
    Arbitrary<List<String>> arguments() {
        Arbitrary<String> command = Arbitraries.of("credential-process", "export", "status", "clear", "--help", "-h", "help", "--version", "-V");
        Arbitrary<String> option = Arbitraries.of("--profile", "--format", "--profile=", "--format=json", "--format=env", "--", "-", "--verbose",
                                                  "--profile=dev", "--nope", "--help");
        Arbitrary<String> anyText = Arbitraries.oneOf(List.of(Arbitraries.strings().ofMaxLength(20),
                                                              Arbitraries.strings().withCharRange('\u0000', ' ').ofMaxLength(3),
                                                              Arbitraries.longs().map(String::valueOf),
                                                              Arbitraries.of("9999999999999999", "99999999999999999999", "-1")));
        Arbitrary<String> rest = Arbitraries.oneOf(List.of(option, anyText));
        Arbitrary<List<String>> tail = rest.list().ofMaxSize(5);
        return Arbitraries.oneOf(List.of(
            command.flatMap(first -> tail.map(more -> prepend(first, more))),
            anyText.filter(text -> !text.equals("demo")).flatMap(first -> tail.map(more -> prepend(first, more)))));
    }

    private static List<String> prepend(String first, List<String> more) {
        List<String> all = new java.util.ArrayList<>(more);
        all.add(0, first);
        return all;
    }

    @Property(tries = 300)
    void anyArgumentsEndInAStatusAndAMessageNeverAStackTrace(@ForAll("arguments") List<String> arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(arguments.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                              new PrintStream(err, true, StandardCharsets.UTF_8));

        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(status == 0 || status == 1 || status == 2, "status " + status);
        assertFalse(errors.contains("\tat ") || errors.contains("Exception"), errors);
        if (status != 0) {
            assertFalse(errors.isBlank(), "a failure says why");
        }
    }
}
