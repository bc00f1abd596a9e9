package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mfasession.MfaCodeRequest;
import io.github.mfasession.MfaSessionException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The env supplier; the code comes through the settings lookup, as AWS_MFA_CODE reaches it in the provider. */
class EnvCodeSupplierTest {

    private final EnvCodeSupplier supplier = new EnvCodeSupplier();

    @Test
    void returnsTheCodeFromTheEnvironment() {
        assertEquals("123456", supplier.code(request("arn:aws:iam::123456789012:mfa/env-first", "123456")));
    }

    @Test
    void sameCodeIsNotHandedOutTwiceAndTheErrorSaysHowToGiveAnother() {
        String device = "arn:aws:iam::123456789012:mfa/env-twice";
        supplier.code(request(device, "654321"));

        MfaSessionException e = assertThrows(MfaSessionException.class, () -> supplier.code(request(device, "654321")));

        assertTrue(e.getMessage().startsWith("The code in AWS_MFA_CODE was already used for device " + device), e.getMessage());
        assertTrue(e.getMessage().contains("mfa_code_supplier") && e.getMessage().contains("mfa_process"), e.getMessage());
        assertFalse(e.getMessage().contains("654321"), e.getMessage());
    }

    @Test
    void appliesOnlyWhenACodeIsSet() {
        assertTrue(supplier.appliesTo(key -> key.equals("mfa_code") ? Optional.of("123456") : Optional.empty()));
        assertFalse(supplier.appliesTo(key -> Optional.empty()));
    }

    private static MfaCodeRequest request(String device, String code) {
        return MfaCodeRequest.builder()
                             .profile("dev")
                             .mfaSerial(device)
                             .settings(key -> key.equals("mfa_code") ? Optional.of(code) : Optional.empty())
                             .build();
    }
}
