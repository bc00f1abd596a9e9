package io.github.mfasession.internal.files;

/**
 * Why a file in a private folder is not trusted, as "it ..." continues it. The reason is written in our own words
 * and never quotes the file, so it can go into a log line.
 */
public final class RejectedFile extends Exception {

    private static final long serialVersionUID = 1L;

    public RejectedFile(String reason) {
        super(reason, null, false, false);
    }
}
