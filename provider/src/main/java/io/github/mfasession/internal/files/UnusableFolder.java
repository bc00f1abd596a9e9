package io.github.mfasession.internal.files;

import java.nio.file.Path;

/**
 * Why a private folder is not used: the folder (or the parent) it names, what is wrong with it, and what to do.
 * Written in our own words, so it can go into a log line.
 */
public final class UnusableFolder extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final String reason;

    /**
     * @param folder the folder at fault: the one opened or one of its parents
     * @param reason what is wrong, as "it ..." continues it, then what to do, for example
     *               {@code "can be written by other users. Remove their write permission (chmod go-w), or choose another mfa_cache_dir"}
     */
    UnusableFolder(Path folder, String reason) {
        super(folder + " " + reason, null, false, false);
        this.folder = folder;
        this.reason = reason;
    }

    /** What is wrong, said of the folder opened: "it is owned by ...", or "/tmp/shared can be written by other users ...". */
    public String of(Path opened) {
        return (folder.equals(opened) ? "it" : folder.toString()) + " " + reason;
    }
}
