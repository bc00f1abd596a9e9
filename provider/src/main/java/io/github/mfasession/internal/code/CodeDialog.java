package io.github.mfasession.internal.code;

import io.github.mfasession.MfaCodeRequest;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dialog;
import java.awt.FlowLayout;
import java.awt.Frame;
import java.awt.GridLayout;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.KeyStroke;
import javax.swing.Timer;
import javax.swing.WindowConstants;
import javax.swing.text.AbstractDocument;
import javax.swing.text.AttributeSet;
import javax.swing.text.BadLocationException;
import javax.swing.text.DocumentFilter;

/**
 * The window of the {@code dialog} supplier: which device and profile, why the last code failed, a masked
 * field that takes 6 digits, OK and Cancel. An entry that is not 6 digits (OK or Enter too early) is asked for again
 * at once in the same window, saying so as the terminal does: it never leaves the dialog, so it never reaches STS and
 * is not an attempt. Built, shown and closed on the event dispatch thread only.
 */
final class CodeDialog {

    /** Component names, for tests and accessibility tools. */
    static final String CODE_FIELD = "mfaCode";
    static final String OK_BUTTON = "ok";
    static final String CANCEL_BUTTON = "cancel";
    static final String FAILURE_LABEL = "lastFailure";

    private final JDialog dialog;
    private final JPasswordField field = new JPasswordField(8);
    private final JButton ok = new JButton("OK");
    /** Why the code is asked for again: the last attempt's failure, or an entry that was not a code; hidden when neither. */
    private final JLabel failure = new JLabel();
    /** The code; empty when the person cancelled or the window was closed; cancelled when the time ran out. */
    private final CompletableFuture<Optional<String>> answer;
    private final Timer giveUp;

    CodeDialog(MfaCodeRequest request, CompletableFuture<Optional<String>> answer, Duration wait) {
        this.answer = answer;
        // Modal without an owner: the host's windows wait for the code, and a caller on the event thread blocks in show().
        dialog = new JDialog((Frame) null, "AWS MFA code", Dialog.ModalityType.APPLICATION_MODAL);
        dialog.setAlwaysOnTop(true);
        dialog.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        dialog.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                finish(Optional.empty());
            }

            @Override
            public void windowClosed(WindowEvent e) {
                // Closed by anything else (the host closing its windows): a cancel, so the caller does not wait on.
                answer.complete(Optional.empty());
            }

            @Override
            public void windowOpened(WindowEvent e) {
                dialog.toFront();
                field.requestFocusInWindow();
            }
        });
        dialog.setContentPane(content(request));
        dialog.getRootPane().setDefaultButton(ok);
        dialog.pack();
        dialog.setResizable(false);
        dialog.setLocationRelativeTo(null);
        giveUp = new Timer((int) Math.min(Integer.MAX_VALUE, wait.toMillis()), e -> {
            answer.cancel(false);
            close();
        });
        giveUp.setRepeats(false);
    }

    private JPanel content(MfaCodeRequest request) {
        JPanel text = new JPanel(new GridLayout(0, 1, 0, 4));
        JPanel body = new JPanel(new BorderLayout(0, 8));
        body.add(text, BorderLayout.CENTER);
        failure.setName(FAILURE_LABEL);
        failure.setForeground(new Color(0xB0, 0x00, 0x20));
        Optional<String> lastFailure = Prompts.lastFailure(request);
        lastFailure.ifPresent(this::sayWhy);
        failure.setVisible(lastFailure.isPresent());
        body.add(failure, BorderLayout.NORTH);
        text.add(new JLabel("Profile: " + request.profile()));
        text.add(new JLabel("MFA device: " + request.mfaSerial()));
        text.add(new JLabel("Enter the 6-digit code the device shows:"));

        field.setName(CODE_FIELD);
        ((AbstractDocument) field.getDocument()).setDocumentFilter(new SixDigits());
        JPanel codeRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        codeRow.add(field);
        text.add(codeRow);

        ok.setName(OK_BUTTON);
        ok.addActionListener(e -> {
            char[] typed = field.getPassword();
            if (typed.length == 6) {
                finish(Optional.of(new String(typed)));
            } else {
                askAgain();
            }
            Arrays.fill(typed, ' ');
        });
        JButton cancel = new JButton("Cancel");
        cancel.setName(CANCEL_BUTTON);
        cancel.addActionListener(e -> finish(Optional.empty()));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 6, 0));
        buttons.add(ok);
        buttons.add(cancel);

        JPanel content = new JPanel(new BorderLayout(0, 12));
        content.setBorder(BorderFactory.createEmptyBorder(14, 16, 12, 16));
        content.add(body, BorderLayout.CENTER);
        content.add(buttons, BorderLayout.SOUTH);
        content.registerKeyboardAction(e -> finish(Optional.empty()), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                                       JComponent.WHEN_IN_FOCUSED_WINDOW);
        return content;
    }

    /** The reason, wrapped: HTML so that the sentence wraps instead of widening the dialog; it holds no markup of its own. */
    private void sayWhy(String reason) {
        failure.setText("<html><body style='width: 300px'>" + reason.replace("&", "&amp;").replace("<", "&lt;") + "</body></html>");
    }

    /** Not 6 digits: said in the dialog, the field emptied for the code, as the terminal asks again. */
    private void askAgain() {
        sayWhy(Prompts.NOT_SIX_DIGITS);
        failure.setVisible(true);
        field.setText("");
        dialog.pack();
        field.requestFocusInWindow();
    }

    /** Shows the dialog; returns once it is closed, since it is modal. */
    void show() {
        giveUp.start();
        dialog.setVisible(true);
    }

    /** Closes the dialog; used when the caller stopped waiting and when the time ran out. */
    void close() {
        giveUp.stop();
        dialog.dispose();
    }

    private void finish(Optional<String> code) {
        answer.complete(code);
        field.setText("");
        close();
    }

    /** Keeps only digits, at most 6: a pasted "123 456" becomes 123456. */
    private static final class SixDigits extends DocumentFilter {
        @Override
        public void insertString(FilterBypass fb, int offset, String text, AttributeSet attrs) throws BadLocationException {
            replace(fb, offset, 0, text, attrs);
        }

        @Override
        public void replace(FilterBypass fb, int offset, int length, String text, AttributeSet attrs) throws BadLocationException {
            String digits = text == null ? "" : text.replaceAll("\\D", "");
            int room = 6 - (fb.getDocument().getLength() - length);
            fb.replace(offset, length, digits.substring(0, Math.max(0, Math.min(room, digits.length()))), attrs);
        }
    }
}
