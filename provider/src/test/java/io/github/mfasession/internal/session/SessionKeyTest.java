package io.github.mfasession.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cache file names are part of the on-disk format: a new version must find the sessions an older one cached. */
class SessionKeyTest {

    private static final String DEVICE = "arn:aws:iam::123456789012:mfa/alice";

    @Test
    void anMfaSessionsFileIsNamedByItsProfileAndTheFirst80BitsOfTheSha256OfItsParts() {
        // printf 'dev\nAKIAEXAMPLE\narn:aws:iam::123456789012:mfa/alice' | sha256sum | cut -c1-20
        assertEquals("dev-b853c2781fb2ccf0b9d1.json", new SessionKey("dev", "AKIAEXAMPLE", DEVICE).fileName());
    }

    @Test
    void aRoleSessionsFileLeavesOutItsSourceSessionAndMakesTheProfileNameSafe() {
        // printf 'role\nprod admin\narn:aws:iam::123456789012:role/admin\narn:aws:iam::123456789012:mfa/alice' | sha256sum | cut -c1-20
        assertEquals("prod_admin-32a618fd68840bfdfcea.json",
                     SessionKey.forRole("prod admin", "arn:aws:iam::123456789012:role/admin", DEVICE, "ASIASOURCE").fileName());
    }
}
