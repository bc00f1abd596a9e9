package io.github.mfasession.internal.code;

import java.util.regex.Pattern;

/**
 * What an MFA code looks like in text that is not ours (STS's error answers, the causes of our exceptions):
 * six digits standing alone, not part of a longer word or number. Such text is shown with them masked.
 */
public final class CodeMask {

    private static final Pattern CODE = Pattern.compile("(?<![\\p{Alnum}])\\d{6}(?![\\p{Alnum}])");

    private CodeMask() {
    }

    /** Whether the text holds something shaped like a code. */
    public static boolean appearsIn(String text) {
        return text != null && CODE.matcher(text).find();
    }

    /** The text with everything shaped like a code replaced by {@code ******}; null stays null. */
    public static String apply(String text) {
        return text == null ? null : CODE.matcher(text).replaceAll("******");
    }
}
