package io.github.mfasession.internal.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} options, an option given again adding a value; flags
 * ({@code --name} alone) where the command takes them; words that are not options only for the commands that take
 * them. {@code --help} and {@code --verbose} are handled before, by {@link Main}.
 */
final class Options {

    private final Map<String, List<String>> values;
    private final List<String> arguments;

    private Options(Map<String, List<String>> values, List<String> arguments) {
        this.values = values;
        this.arguments = arguments;
    }

    static Options parse(String[] args, Set<String> allowed) {
        return parse(args, allowed, Set.of(), false);
    }

    static Options parse(String[] args, Set<String> allowed, Set<String> flags, boolean takesArguments) {
        Map<String, List<String>> values = new HashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (!takesArguments) {
                    throw new UsageException("Unexpected argument '" + arg + "'.");
                }
                arguments.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            String given = flags.contains(name) || equals < 0 ? name : name.substring(0, equals);
            // An unknown option is named as such, before whether a value follows it is looked at.
            if (!allowed.contains(given) && !flags.contains(given)) {
                throw new UsageException("Unknown option --" + given + ".");
            }
            if (flags.contains(name)) {
                value = "true";
            } else if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("Option --" + name + " needs a value.");
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return new Options(values, arguments);
    }

    /** The option's value (the last, if given more than once); empty when not given or blank. */
    Optional<String> get(String name) {
        List<String> given = values.getOrDefault(name, List.of());
        return given.isEmpty() ? Optional.empty() : Optional.of(given.get(given.size() - 1)).filter(v -> !v.isBlank());
    }

    /** Every non-blank value of a repeatable option, in the order given. */
    List<String> all(String name) {
        List<String> given = new ArrayList<>(values.getOrDefault(name, List.of()));
        given.removeIf(String::isBlank);
        return given;
    }

    /** Whether a flag was given. */
    boolean has(String flag) {
        return values.containsKey(flag);
    }

    /** The words that are not options, in order. */
    List<String> arguments() {
        return arguments;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
