package io.github.mfasession.internal.code;

import java.util.regex.Pattern;

/**
 * What an MFA code looks like in text that is not ours (STS's error answers): six digits standing alone, not part of
 * a longer word or number. Such text is shown with them masked. {@code MfaSessionException} applies the same rule to
 * the causes of our exceptions.
 */
public final class CodeMask {

    private static final Pattern CODE = Pattern.compile("(?<![\\p{Alnum}])\\d{6}(?![\\p{Alnum}])");

    private CodeMask() {
    }

    /** The text with everything shaped like a code replaced by {@code ******}; null stays null. */
    public static String apply(String text) {
        return text == null ? null : CODE.matcher(text).replaceAll("******");
    }
}
