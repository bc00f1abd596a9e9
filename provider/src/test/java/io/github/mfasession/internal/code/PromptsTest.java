package io.github.mfasession.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mfasession.MfaCodeRequest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The words the interactive suppliers share. */
class PromptsTest {

    /** A moment 18 seconds into a 30-second step of the Unix epoch. */
    private static final Instant EIGHTEEN_SECONDS_IN = Instant.ofEpochSecond(30L * 56_666_667 + 18);

    private static MfaCodeRequest after(String lastFailure) {
        return MfaCodeRequest.builder().profile("dev").mfaSerial("arn:aws:iam::123456789012:mfa/alice").attempt(2).lastFailure(lastFailure).build();
    }

    @Test
    void aRejectedCodeIsExplainedWithItsUsualCausesAndWhenTheNextCodeAppears() {
        assertEquals(Optional.of("STS rejected the last code. Usually it was already used in this 30-second window, it expired while being"
                                 + " typed, or mfa_serial names another device. The next code appears in 12 s."),
                     Prompts.lastFailure(after("the last code was rejected"), EIGHTEEN_SECONDS_IN));
    }

    @Test
    void aCodeAlreadySentSaysWhenTheNextCodeAppears() {
        assertEquals(Optional.of("The last code was already used; AWS accepts each code once, wait for the next one. The next code appears in 12 s."),
                     Prompts.lastFailure(after("the last code was already used; AWS accepts each code once, wait for the next one"),
                                         EIGHTEEN_SECONDS_IN));
    }

    @Test
    void theFirstAttemptHasNoFailureToExplain() {
        assertEquals(Optional.empty(), Prompts.lastFailure(after(null), EIGHTEEN_SECONDS_IN));
    }

    @Test
    void codesChangeAtEveryMultipleOfThirtySecondsSinceTheEpoch() {
        assertEquals(30, Prompts.secondsToNextCode(Instant.ofEpochSecond(30L * 56_666_667)));
        assertEquals(1, Prompts.secondsToNextCode(Instant.ofEpochSecond(30L * 56_666_667 + 29)));
        assertEquals(12, Prompts.secondsToNextCode(EIGHTEEN_SECONDS_IN));
    }

    @Test
    void everyInteractiveSupplierSaysTheSameOfAnEntryThatIsNotACode() {
        assertEquals("The last entry was not a 6-digit code; enter the 6 digits the device shows.", Prompts.NOT_SIX_DIGITS);
        // The dialogs show it as the reason for asking again, unchanged and with no "next code" hint: nothing reached STS.
        assertEquals(Optional.of(Prompts.NOT_SIX_DIGITS), Prompts.lastFailure(after(Prompts.NOT_SIX_DIGITS), EIGHTEEN_SECONDS_IN));
    }
}
