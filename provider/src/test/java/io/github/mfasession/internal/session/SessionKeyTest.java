package io.github.mfasession.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aFileNameIsKnownAsTheProfilesWithoutReadingTheFile() {
        assertTrue(SessionKey.isFileNameOf("dev", new SessionKey("dev", "AKIAEXAMPLE", DEVICE).fileName()));
        assertTrue(SessionKey.isFileNameOf("prod admin", SessionKey.forRole("prod admin", "arn:aws:iam::123456789012:role/admin", DEVICE,
                                                                            "AKIAEXAMPLE").fileName()));
    }

    @Test
    void anotherProfilesFileNameIsNotTheProfilesEvenWhenItStartsTheSame() {
        assertFalse(SessionKey.isFileNameOf("dev", new SessionKey("dev-eu", "AKIAEXAMPLE", DEVICE).fileName()));
        assertFalse(SessionKey.isFileNameOf("dev", "dev-b853c2781fb2ccf0b9d1.json.lock"));
        assertFalse(SessionKey.isFileNameOf("dev", "dev-notahexdigestatall.json"));
        assertFalse(SessionKey.isFileNameOf("dev", "dev.json"));
    }
}
