package io.github.mfasession.internal.cache;

/**
 * Why a cache file is not trusted. The reason is written in our own words and never quotes the file,
 * so it can go into a log line.
 */
final class RejectedFile extends Exception {

    private static final long serialVersionUID = 1L;

    RejectedFile(String reason) {
        super(reason, null, false, false);
    }
}
