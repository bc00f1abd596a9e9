package io.github.mfasession.internal.code;

import java.util.Optional;
import java.util.function.Function;

/** A built-in supplier that can say whether it applies when the user named none. */
public interface AutoChoosable {

    /**
     * Whether this supplier can give a code here and now: its setting is present, or a terminal or desktop is
     * attached. Must answer at once and never block.
     *
     * @param settings looks a setting up by its key ({@code mfa_code}, {@code mfa_process}, ...)
     */
    boolean appliesTo(Function<String, Optional<String>> settings);
}
