package io.github.mfasession;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A code supplier for tests: answers each request with a function of it, and remembers every request. */
final class ScriptedCodes implements MfaCodeSupplier {

    final List<MfaCodeRequest> requests = new CopyOnWriteArrayList<>();
    private final boolean interactive;
    private final Function<MfaCodeRequest, String> answer;

    private ScriptedCodes(boolean interactive, Function<MfaCodeRequest, String> answer) {
        this.interactive = interactive;
        this.answer = answer;
    }

    /** Like a person at a terminal: asked again after a rejected code. */
    static ScriptedCodes person(Function<MfaCodeRequest, String> answer) {
        return new ScriptedCodes(true, answer);
    }

    /** Like a command or a file: asked once per session. */
    static ScriptedCodes machine(Function<MfaCodeRequest, String> answer) {
        return new ScriptedCodes(false, answer);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean isInteractive() {
        return interactive;
    }

    @Override
    public String code(MfaCodeRequest request) {
        requests.add(request);
        return answer.apply(request);
    }
}
